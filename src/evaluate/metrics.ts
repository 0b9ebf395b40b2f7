/**
 * Ranking metrics of a score against binary labels, computed exactly.
 *
 * @example
 * rocAuc([0.9, 0.2], [true, false]); // 1
 */

/**
 * Area under the ROC curve: the probability that a random positive scores
 * above a random negative, ties counting half (Mann-Whitney U).
 * NaN when either class is empty.
 */
export function rocAuc(scores: ArrayLike<number>, positive: ArrayLike<boolean>): number {
  const order = sortedIndex(scores);
  let positives = 0;
  let negatives = 0;
  for (let i = 0; i < positive.length; i++) {
    if (positive[i]) positives++;
    else negatives++;
  }
  if (positives === 0 || negatives === 0) return Number.NaN;
  // Sum of positive ranks, with tied scores sharing their average rank.
  let rankSum = 0;
  let i = 0;
  while (i < order.length) {
    let j = i;
    while (j + 1 < order.length && scores[order[j + 1]!] === scores[order[i]!]) j++;
    const averageRank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) if (positive[order[k]!]) rankSum += averageRank;
    i = j + 1;
  }
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/**
 * Area under the precision-recall curve as average precision: the mean of the
 * precision at each positive's threshold, ties taken together. NaN without positives.
 */
export function prAuc(scores: ArrayLike<number>, positive: ArrayLike<boolean>): number {
  const order = sortedIndex(scores).reverse();
  let positives = 0;
  for (let i = 0; i < positive.length; i++) if (positive[i]) positives++;
  if (positives === 0) return Number.NaN;
  let truePositives = 0;
  let seen = 0;
  let sum = 0;
  let i = 0;
  while (i < order.length) {
    let j = i;
    while (j + 1 < order.length && scores[order[j + 1]!] === scores[order[i]!]) j++;
    let groupPositives = 0;
    for (let k = i; k <= j; k++) if (positive[order[k]!]) groupPositives++;
    truePositives += groupPositives;
    seen += j - i + 1;
    sum += groupPositives * (truePositives / seen);
    i = j + 1;
  }
  return sum / positives;
}

function sortedIndex(scores: ArrayLike<number>): Uint32Array {
  const order = new Uint32Array(scores.length);
  for (let i = 0; i < order.length; i++) order[i] = i;
  return order.sort((a, b) => scores[a]! - scores[b]!);
}
