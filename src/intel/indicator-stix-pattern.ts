/**
 * Reading STIX 2.1 patterns (STIX 2.1 §9, the patterning grammar): a
 * tokenizer and a recursive-descent parser to a small syntax tree, and
 * {@link orComparisons}, which says whether a pattern is a plain OR list of
 * comparisons — the only shape that can be imported as single values.
 * Patterns come from other people's files: the parser never throws, and
 * nesting is bounded so a hostile pattern cannot exhaust the stack.
 *
 * @example
 * const parsed = parseStixPattern("[ipv4-addr:value = '203.0.113.7' OR ipv4-addr:value ISSUBSET '198.51.100.0/24']");
 * if (parsed.ok) orComparisons(parsed.pattern);
 * // { kind: 'comparisons', comparisons: [{ path: { objectType: 'ipv4-addr', steps: ['value'] }, operator: '=', … }, …] }
 */

/**
 * An object path: the object type and the steps after the colon, quoted
 * steps unquoted, list indexes as numbers, `[*]` as `'*'`.
 *
 * @example
 * // network-traffic:extensions.'http-request-ext'.request_header.'User-Agent'
 * const p: StixObjectPath = { objectType: 'network-traffic', steps: ['extensions', 'http-request-ext', 'request_header', 'User-Agent'] };
 */
export interface StixObjectPath {
  readonly objectType: string;
  readonly steps: readonly (string | number)[];
}

/**
 * A literal in a comparison: a string, a number, a boolean, a timestamp
 * (`t'…'`), binary (`b'…'`), hex (`h'…'`), or a set (`('a', 'b')`, for IN).
 *
 * @example
 * const l: StixLiteral = { kind: 'string', value: "it's" };
 */
export type StixLiteral =
  | { readonly kind: 'string' | 'timestamp' | 'binary' | 'hex'; readonly value: string }
  | { readonly kind: 'number'; readonly value: number }
  | { readonly kind: 'boolean'; readonly value: boolean }
  | { readonly kind: 'set'; readonly values: readonly StixLiteral[] };

/**
 * One comparison: `ipv4-addr:value = '203.0.113.7'`, `file:name NOT LIKE 'x%'`, `EXISTS x:y`.
 *
 * @example
 * const c: StixComparison = { path: { objectType: 'url', steps: ['value'] }, operator: '=', negated: false, literal: { kind: 'string', value: 'https://evil.example/' } };
 */
export interface StixComparison {
  readonly path: StixObjectPath;
  /** `=` (also written `==`), `!=` (also `<>`), `<`, `<=`, `>`, `>=`, `IN`, `LIKE`, `MATCHES`, `ISSUBSET`, `ISSUPERSET`, `EXISTS`. */
  readonly operator: string;
  readonly negated: boolean;
  /** Absent for EXISTS. */
  readonly literal?: StixLiteral;
}

/**
 * A comparison expression: the inside of one `[ … ]`.
 *
 * @example
 * const e: StixComparisonExpression = { kind: 'or', operands: [a, b] };
 */
export type StixComparisonExpression =
  | { readonly kind: 'comparison'; readonly comparison: StixComparison }
  | { readonly kind: 'and' | 'or'; readonly operands: readonly StixComparisonExpression[] };

/**
 * An observation expression: `[ … ]`, combined with AND, OR, FOLLOWEDBY, or
 * qualified (`WITHIN 600 SECONDS`, `REPEATS 5 TIMES`, `START t'…' STOP t'…'`).
 *
 * @example
 * const o: StixObservationExpression = { kind: 'followedby', operands: [first, second] };
 */
export type StixObservationExpression =
  | { readonly kind: 'observation'; readonly expression: StixComparisonExpression }
  | {
      readonly kind: 'and' | 'or' | 'followedby';
      readonly operands: readonly StixObservationExpression[];
    }
  | {
      readonly kind: 'qualified';
      readonly qualifier: 'WITHIN' | 'REPEATS' | 'START';
      readonly expression: StixObservationExpression;
    };

/**
 * A pattern parsed, or where and why it is not one.
 *
 * @example
 * parseStixPattern("[ipv4-addr:value = '1.2.3.4'"); // { ok: false, offset: 28, message: 'expected ] at offset 28, found the end of the pattern' }
 */
export type StixPatternParse =
  | { readonly ok: true; readonly pattern: StixObservationExpression }
  | { readonly ok: false; readonly offset: number; readonly message: string };

/**
 * What a pattern gives as single values: its comparisons when they are only
 * combined by OR, or why not.
 *
 * @example
 * const s: StixPatternShape = { kind: 'compound' };
 */
export type StixPatternShape =
  | { readonly kind: 'comparisons'; readonly comparisons: readonly StixComparison[] }
  | { readonly kind: 'compound' }
  | { readonly kind: 'qualified' };

type Token =
  | { readonly kind: 'word'; readonly text: string; readonly at: number }
  | { readonly kind: 'literal'; readonly literal: StixLiteral; readonly at: number }
  | { readonly kind: 'punct'; readonly text: string; readonly at: number }
  | { readonly kind: 'end'; readonly at: number };

/** Deep enough for any real pattern; a hostile one gets a problem, not a stack overflow. */
const MAX_DEPTH = 64;
const COMPARISON_OPERATORS = new Set(['=', '==', '!=', '<>', '<', '<=', '>', '>=']);
const WORD_OPERATORS = new Set(['IN', 'LIKE', 'MATCHES', 'ISSUBSET', 'ISSUPERSET']);

class PatternError extends Error {
  readonly offset: number;
  constructor(offset: number, message: string) {
    super(message);
    this.offset = offset;
  }
}

/**
 * Parses a STIX 2.1 pattern. Keywords are read in any case; strings take the
 * grammar's two escapes, `\'` and `\\`.
 *
 * @example
 * parseStixPattern("[domain-name:value = 'evil.example']").ok; // true
 * parseStixPattern('[domain-name:value = evil]');             // { ok: false, offset: 21, message: 'expected a literal at offset 21, found "evil"' }
 */
export function parseStixPattern(text: string): StixPatternParse {
  try {
    const parser = new PatternParser(tokenize(text));
    return { ok: true, pattern: parser.pattern() };
  } catch (error) {
    if (error instanceof PatternError) {
      return { ok: false, offset: error.offset, message: error.message };
    }
    throw error;
  }
}

/**
 * The comparisons of a pattern built only with OR (between comparisons and
 * between observations), in pattern order; `compound` when AND or
 * FOLLOWEDBY joins anything, `qualified` when an observation carries WITHIN,
 * REPEATS or START/STOP (whichever comes first in the pattern).
 *
 * @example
 * orComparisons(parse("[ipv4-addr:value = '1.2.3.4'] OR [domain-name:value = 'evil.example']")).kind; // 'comparisons'
 * orComparisons(parse("[ipv4-addr:value = '1.2.3.4'] FOLLOWEDBY [domain-name:value = 'evil.example']")).kind; // 'compound'
 */
export function orComparisons(pattern: StixObservationExpression): StixPatternShape {
  const comparisons: StixComparison[] = [];
  const fromComparison = (e: StixComparisonExpression): StixPatternShape | undefined => {
    switch (e.kind) {
      case 'comparison':
        comparisons.push(e.comparison);
        return undefined;
      case 'and':
        return { kind: 'compound' };
      case 'or':
        for (const operand of e.operands) {
          const stop = fromComparison(operand);
          if (stop) return stop;
        }
        return undefined;
    }
  };
  const fromObservation = (e: StixObservationExpression): StixPatternShape | undefined => {
    switch (e.kind) {
      case 'observation':
        return fromComparison(e.expression);
      case 'qualified':
        return { kind: 'qualified' };
      case 'and':
      case 'followedby':
        return { kind: 'compound' };
      case 'or':
        for (const operand of e.operands) {
          const stop = fromObservation(operand);
          if (stop) return stop;
        }
        return undefined;
    }
  };
  return fromObservation(pattern) ?? { kind: 'comparisons', comparisons };
}

// ─── tokenizer ────────────────────────────────────────────────────────────

function isWordStart(c: string): boolean {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_';
}

function isWordPart(c: string): boolean {
  return isWordStart(c) || (c >= '0' && c <= '9') || c === '-';
}

function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= '0' && c <= '9';
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
      continue;
    }
    const at = i;
    if (c === "'") {
      const [value, next] = readString(text, i);
      tokens.push({ kind: 'literal', literal: { kind: 'string', value }, at });
      i = next;
    } else if ((c === 't' || c === 'b' || c === 'h') && text[i + 1] === "'") {
      const [value, next] = readString(text, i + 1);
      const kind = c === 't' ? 'timestamp' : c === 'b' ? 'binary' : 'hex';
      tokens.push({ kind: 'literal', literal: { kind, value }, at });
      i = next;
    } else if (isDigit(c) || ((c === '-' || c === '+') && isDigit(text[i + 1]))) {
      let j = i + 1;
      while (isDigit(text[j])) j++;
      if (text[j] === '.' && isDigit(text[j + 1])) {
        j += 2;
        while (isDigit(text[j])) j++;
      }
      tokens.push({
        kind: 'literal',
        literal: { kind: 'number', value: Number(text.slice(i, j)) },
        at,
      });
      i = j;
    } else if (isWordStart(c)) {
      let j = i + 1;
      while (j < text.length && isWordPart(text[j]!)) j++;
      const word = text.slice(i, j);
      const upper = word.toUpperCase();
      if (upper === 'TRUE' || upper === 'FALSE') {
        tokens.push({ kind: 'literal', literal: { kind: 'boolean', value: upper === 'TRUE' }, at });
      } else {
        tokens.push({ kind: 'word', text: word, at });
      }
      i = j;
    } else {
      const two = text.slice(i, i + 2);
      if (two === '==' || two === '!=' || two === '<>' || two === '<=' || two === '>=') {
        tokens.push({ kind: 'punct', text: two, at });
        i += 2;
      } else if ('[]().,:=<>*'.includes(c)) {
        tokens.push({ kind: 'punct', text: c, at });
        i++;
      } else {
        throw new PatternError(i, `unexpected character ${JSON.stringify(c)} at offset ${i}`);
      }
    }
  }
  tokens.push({ kind: 'end', at: text.length });
  return tokens;
}

/** The string literal whose opening quote is at `start`, unescaped, and the offset after it. */
function readString(text: string, start: number): [string, number] {
  let value = '';
  let i = start + 1;
  while (i < text.length) {
    const c = text[i]!;
    if (c === "'") return [value, i + 1];
    if (c === '\\') {
      const next = text[i + 1];
      if (next !== "'" && next !== '\\') {
        throw new PatternError(
          i,
          `invalid escape at offset ${i} (only \\' and \\\\ are allowed in a string)`,
        );
      }
      value += next;
      i += 2;
    } else {
      // Copy the run up to the next quote or backslash at once.
      let j = i + 1;
      while (j < text.length && text[j] !== "'" && text[j] !== '\\') j++;
      value += text.slice(i, j);
      i = j;
    }
  }
  throw new PatternError(start, `unterminated string starting at offset ${start}`);
}

// ─── parser ───────────────────────────────────────────────────────────────

class PatternParser {
  readonly #tokens: readonly Token[];
  #next = 0;
  #depth = 0;

  constructor(tokens: readonly Token[]) {
    this.#tokens = tokens;
  }

  pattern(): StixObservationExpression {
    if (this.#peek().kind === 'end') throw new PatternError(0, 'empty pattern');
    const pattern = this.#observations();
    const rest = this.#peek();
    if (rest.kind !== 'end')
      throw this.#unexpected(rest, 'AND, OR, FOLLOWEDBY, a qualifier or the end');
    return pattern;
  }

  // observations := or (FOLLOWEDBY or)* ; or := and (OR and)* ; and := qualified (AND qualified)*
  #observations(): StixObservationExpression {
    return this.#chain('FOLLOWEDBY', 'followedby', () =>
      this.#chain('OR', 'or', () => this.#chain('AND', 'and', () => this.#qualified())),
    );
  }

  #chain(
    keyword: string,
    kind: 'and' | 'or' | 'followedby',
    operand: () => StixObservationExpression,
  ): StixObservationExpression {
    const operands = [operand()];
    while (this.#keyword(keyword)) operands.push(operand());
    return operands.length === 1 ? operands[0]! : { kind, operands };
  }

  #qualified(): StixObservationExpression {
    let expression = this.#observation();
    for (;;) {
      if (this.#keyword('WITHIN')) {
        this.#expectNumber();
        this.#expectKeyword('SECONDS');
        expression = { kind: 'qualified', qualifier: 'WITHIN', expression };
      } else if (this.#keyword('REPEATS')) {
        this.#expectNumber();
        this.#expectKeyword('TIMES');
        expression = { kind: 'qualified', qualifier: 'REPEATS', expression };
      } else if (this.#keyword('START')) {
        this.#expectTimestamp();
        this.#expectKeyword('STOP');
        this.#expectTimestamp();
        expression = { kind: 'qualified', qualifier: 'START', expression };
      } else {
        return expression;
      }
    }
  }

  #observation(): StixObservationExpression {
    const token = this.#peek();
    if (this.#punct('[')) {
      const expression = this.#nested(() => this.#comparisonOr());
      this.#expectPunct(']');
      return { kind: 'observation', expression };
    }
    if (this.#punct('(')) {
      const expression = this.#nested(() => this.#observations());
      this.#expectPunct(')');
      return expression;
    }
    throw this.#unexpected(token, '[ or (');
  }

  #comparisonOr(): StixComparisonExpression {
    const operands = [this.#comparisonAnd()];
    while (this.#keyword('OR')) operands.push(this.#comparisonAnd());
    return operands.length === 1 ? operands[0]! : { kind: 'or', operands };
  }

  #comparisonAnd(): StixComparisonExpression {
    const operands = [this.#comparison()];
    while (this.#keyword('AND')) operands.push(this.#comparison());
    return operands.length === 1 ? operands[0]! : { kind: 'and', operands };
  }

  #comparison(): StixComparisonExpression {
    if (this.#punct('(')) {
      const expression = this.#nested(() => this.#comparisonOr());
      this.#expectPunct(')');
      return expression;
    }
    if (this.#keyword('EXISTS')) {
      const comparison = { path: this.#path(), operator: 'EXISTS', negated: false };
      return { kind: 'comparison', comparison };
    }
    const path = this.#path();
    const negated = this.#keyword('NOT');
    const token = this.#peek();
    let operator: string;
    if (token.kind === 'punct' && COMPARISON_OPERATORS.has(token.text)) {
      operator = token.text === '==' ? '=' : token.text === '<>' ? '!=' : token.text;
    } else if (token.kind === 'word' && WORD_OPERATORS.has(token.text.toUpperCase())) {
      operator = token.text.toUpperCase();
    } else {
      throw this.#unexpected(token, 'a comparison operator');
    }
    this.#next++;
    const literal = operator === 'IN' ? this.#set() : this.#literal();
    return { kind: 'comparison', comparison: { path, operator, negated, literal } };
  }

  #path(): StixObjectPath {
    const type = this.#peek();
    if (type.kind !== 'word') throw this.#unexpected(type, 'an object path');
    this.#next++;
    this.#expectPunct(':');
    const steps: (string | number)[] = [this.#pathStep()];
    for (;;) {
      if (this.#punct('.')) {
        steps.push(this.#pathStep());
      } else if (this.#punct('[')) {
        const index = this.#peek();
        if (index.kind === 'punct' && index.text === '*') steps.push('*');
        else if (
          index.kind === 'literal' &&
          index.literal.kind === 'number' &&
          Number.isInteger(index.literal.value)
        )
          steps.push(index.literal.value);
        else throw this.#unexpected(index, 'a list index or *');
        this.#next++;
        this.#expectPunct(']');
      } else {
        return { objectType: type.text, steps };
      }
    }
  }

  #pathStep(): string {
    const token = this.#peek();
    if (token.kind === 'word') {
      this.#next++;
      return token.text;
    }
    if (token.kind === 'literal' && token.literal.kind === 'string') {
      this.#next++;
      return token.literal.value;
    }
    throw this.#unexpected(token, 'a property name');
  }

  #literal(): StixLiteral {
    const token = this.#peek();
    if (token.kind !== 'literal') throw this.#unexpected(token, 'a literal');
    this.#next++;
    return token.literal;
  }

  #set(): StixLiteral {
    this.#expectPunct('(');
    const values = [this.#literal()];
    while (this.#punct(',')) values.push(this.#literal());
    this.#expectPunct(')');
    return { kind: 'set', values };
  }

  #nested<T>(parse: () => T): T {
    if (++this.#depth > MAX_DEPTH) {
      throw new PatternError(this.#peek().at, `nested more than ${MAX_DEPTH} levels deep`);
    }
    const result = parse();
    this.#depth--;
    return result;
  }

  #peek(): Token {
    return this.#tokens[this.#next]!;
  }

  #punct(text: string): boolean {
    const token = this.#peek();
    if (token.kind !== 'punct' || token.text !== text) return false;
    this.#next++;
    return true;
  }

  #keyword(keyword: string): boolean {
    const token = this.#peek();
    if (token.kind !== 'word' || token.text.toUpperCase() !== keyword) return false;
    this.#next++;
    return true;
  }

  #expectPunct(text: string): void {
    if (!this.#punct(text)) throw this.#unexpected(this.#peek(), text);
  }

  #expectKeyword(keyword: string): void {
    if (!this.#keyword(keyword)) throw this.#unexpected(this.#peek(), keyword);
  }

  #expectNumber(): void {
    const token = this.#peek();
    if (token.kind !== 'literal' || token.literal.kind !== 'number') {
      throw this.#unexpected(token, 'a number');
    }
    this.#next++;
  }

  #expectTimestamp(): void {
    const token = this.#peek();
    if (token.kind !== 'literal' || token.literal.kind !== 'timestamp') {
      throw this.#unexpected(token, "a timestamp t'…'");
    }
    this.#next++;
  }

  #unexpected(token: Token, expected: string): PatternError {
    return new PatternError(
      token.at,
      `expected ${expected} at offset ${token.at}, found ${describe(token)}`,
    );
  }
}

function describe(token: Token): string {
  switch (token.kind) {
    case 'end':
      return 'the end of the pattern';
    case 'word':
    case 'punct':
      return JSON.stringify(token.text.length > 40 ? `${token.text.slice(0, 40)}…` : token.text);
    case 'literal':
      return `a ${token.literal.kind} literal`;
  }
}
