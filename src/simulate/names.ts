/**
 * Given names and surnames by naming culture, ASCII only because they become
 * mailbox local parts. Diaspora accounts draw Persian names, matching the
 * reference case (a campaign against Iranian diaspora figures among others).
 *
 * @example
 * const { first, last } = randomName(rng, 'persian'); // { first: 'nasrin', last: 'tehrani' }
 */
import type { Random } from './random.js';

/** Naming cultures with their own name lists. */
export const NAME_CULTURES = [
  'anglo',
  'persian',
  'german',
  'french',
  'spanish',
  'italian',
  'dutch',
  'swedish',
  'turkish',
  'indian',
] as const;
export type NameCulture = (typeof NAME_CULTURES)[number];

// prettier-ignore
const NAMES: Record<
  NameCulture,
  { readonly first: readonly string[]; readonly last: readonly string[] }
> = {
  anglo: {
    first: ['james', 'mary', 'john', 'patricia', 'robert', 'jennifer', 'michael', 'linda', 'david', 'elizabeth', 'william', 'susan', 'richard', 'jessica', 'joseph', 'sarah', 'thomas', 'karen', 'chris', 'nancy', 'daniel', 'lisa', 'matthew', 'emily', 'anthony', 'megan', 'mark', 'ashley', 'paul', 'rachel', 'steven', 'laura', 'andrew', 'amanda', 'josh', 'hannah', 'kevin', 'olivia', 'brian', 'grace', 'ana', 'maria', 'carlos', 'wei', 'aisha', 'jamal', 'keisha', 'tyrone'],
    last: ['smith', 'johnson', 'williams', 'brown', 'jones', 'garcia', 'miller', 'davis', 'rodriguez', 'martinez', 'hernandez', 'lopez', 'wilson', 'anderson', 'thomas', 'taylor', 'moore', 'jackson', 'martin', 'lee', 'thompson', 'white', 'harris', 'clark', 'lewis', 'robinson', 'walker', 'young', 'allen', 'king', 'wright', 'scott', 'green', 'baker', 'adams', 'nelson', 'hill', 'campbell', 'mitchell', 'roberts', 'carter', 'phillips', 'evans', 'turner', 'silva', 'chen', 'nguyen', 'patel', 'okafor', 'murphy', 'obrien', 'kelly'],
  },
  persian: {
    first: ['ali', 'reza', 'mohammad', 'hossein', 'mehdi', 'amir', 'saeed', 'hamid', 'babak', 'kaveh', 'dariush', 'farhad', 'maryam', 'fatemeh', 'zahra', 'sara', 'nasrin', 'leila', 'shirin', 'parisa', 'mahsa', 'azadeh', 'golnar', 'roya', 'niloufar', 'arash', 'kian', 'omid', 'payam', 'yasmin'],
    last: ['hosseini', 'mohammadi', 'ahmadi', 'rezaei', 'moradi', 'karimi', 'jafari', 'rahimi', 'sadeghi', 'kazemi', 'ebrahimi', 'tehrani', 'shirazi', 'esfahani', 'tabrizi', 'ghorbani', 'heidari', 'mousavi', 'nazari', 'farahani', 'afshar', 'bahrami', 'saberi', 'kashani', 'amini', 'soltani', 'navabi', 'alavi'],
  },
  german: {
    first: ['lukas', 'leon', 'finn', 'jonas', 'paul', 'felix', 'maximilian', 'elias', 'anna', 'lena', 'lea', 'hannah', 'laura', 'julia', 'sophie', 'katharina', 'stefan', 'thomas', 'andreas', 'michael', 'sabine', 'petra', 'claudia', 'juergen', 'uwe', 'monika'],
    last: ['mueller', 'schmidt', 'schneider', 'fischer', 'weber', 'meyer', 'wagner', 'becker', 'schulz', 'hoffmann', 'koch', 'richter', 'klein', 'wolf', 'schroeder', 'neumann', 'schwarz', 'braun', 'zimmermann', 'krueger', 'hartmann', 'lange', 'werner', 'krause'],
  },
  french: {
    first: ['jean', 'pierre', 'michel', 'philippe', 'nicolas', 'julien', 'thomas', 'antoine', 'camille', 'marie', 'sophie', 'claire', 'julie', 'chloe', 'manon', 'lea', 'isabelle', 'nathalie', 'sylvie', 'francois', 'olivier', 'mathieu', 'louise', 'emma'],
    last: ['martin', 'bernard', 'dubois', 'thomas', 'robert', 'richard', 'petit', 'durand', 'leroy', 'moreau', 'simon', 'laurent', 'lefebvre', 'michel', 'garcia', 'david', 'bertrand', 'roux', 'vincent', 'fournier', 'morel', 'girard', 'andre', 'mercier'],
  },
  spanish: {
    first: ['antonio', 'jose', 'manuel', 'francisco', 'david', 'juan', 'javier', 'daniel', 'carmen', 'maria', 'lucia', 'elena', 'laura', 'marta', 'cristina', 'paula', 'sergio', 'pablo', 'alejandro', 'raquel', 'pilar', 'alba'],
    last: ['garcia', 'gonzalez', 'rodriguez', 'fernandez', 'lopez', 'martinez', 'sanchez', 'perez', 'gomez', 'martin', 'jimenez', 'ruiz', 'hernandez', 'diaz', 'moreno', 'alvarez', 'romero', 'navarro', 'torres', 'dominguez', 'vazquez', 'ramos'],
  },
  italian: {
    first: ['giuseppe', 'giovanni', 'antonio', 'mario', 'luigi', 'francesco', 'alessandro', 'marco', 'giulia', 'francesca', 'chiara', 'sara', 'valentina', 'alessia', 'federica', 'elena', 'matteo', 'lorenzo', 'paola', 'silvia'],
    last: ['rossi', 'russo', 'ferrari', 'esposito', 'bianchi', 'romano', 'colombo', 'ricci', 'marino', 'greco', 'bruno', 'gallo', 'conti', 'deluca', 'costa', 'giordano', 'mancini', 'rizzo', 'lombardi', 'moretti'],
  },
  dutch: {
    first: ['daan', 'sem', 'lucas', 'levi', 'bram', 'jesse', 'thijs', 'ruben', 'emma', 'julia', 'sanne', 'lotte', 'fleur', 'anouk', 'femke', 'iris', 'maarten', 'pieter', 'joost', 'marieke'],
    last: ['dejong', 'jansen', 'devries', 'vandenberg', 'vandijk', 'bakker', 'janssen', 'visser', 'smit', 'meijer', 'deboer', 'mulder', 'degroot', 'bos', 'vos', 'peters', 'hendriks', 'vanleeuwen', 'dekker', 'brouwer'],
  },
  swedish: {
    first: ['erik', 'lars', 'karl', 'anders', 'johan', 'per', 'nils', 'oskar', 'anna', 'eva', 'maria', 'karin', 'sara', 'elin', 'ingrid', 'astrid', 'linnea', 'maja', 'henrik', 'mikael'],
    last: ['andersson', 'johansson', 'karlsson', 'nilsson', 'eriksson', 'larsson', 'olsson', 'persson', 'svensson', 'gustafsson', 'pettersson', 'jonsson', 'lindberg', 'lindqvist', 'berg', 'lund', 'holm', 'strom'],
  },
  turkish: {
    first: ['mehmet', 'mustafa', 'ahmet', 'ali', 'huseyin', 'hasan', 'ibrahim', 'murat', 'emre', 'burak', 'ayse', 'fatma', 'emine', 'zeynep', 'elif', 'merve', 'esra', 'selin', 'deniz', 'ozlem'],
    last: ['yilmaz', 'kaya', 'demir', 'sahin', 'celik', 'yildiz', 'yildirim', 'ozturk', 'aydin', 'ozdemir', 'arslan', 'dogan', 'kilic', 'aslan', 'cetin', 'kara', 'koc', 'kurt', 'ozkan', 'simsek'],
  },
  indian: {
    first: ['aarav', 'vivaan', 'aditya', 'arjun', 'rohan', 'rahul', 'amit', 'sanjay', 'vikram', 'rajesh', 'priya', 'ananya', 'diya', 'isha', 'kavya', 'neha', 'pooja', 'sneha', 'divya', 'lakshmi'],
    last: ['sharma', 'verma', 'gupta', 'singh', 'kumar', 'patel', 'reddy', 'rao', 'iyer', 'nair', 'menon', 'joshi', 'mehta', 'shah', 'desai', 'kapoor', 'malhotra', 'chopra', 'bose', 'das'],
  },
};

/**
 * A random given name and surname from one culture, lower case ASCII.
 *
 * @example
 * randomName(rng, 'anglo'); // { first: 'ana', last: 'silva' }
 */
export function randomName(rng: Random, culture: NameCulture): { first: string; last: string } {
  const names = NAMES[culture];
  return { first: rng.pick(names.first), last: rng.pick(names.last) };
}
