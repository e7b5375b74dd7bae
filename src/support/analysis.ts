import { BoundedCache } from './bounded-cache.js';

/**
 * How deskhand reads a question and a passage the same way everywhere (the kb index, the ranking,
 * the found decision, the reply): words lowercased and unaccented, phrases and abbreviations that
 * mean the same thing folded into one term ("2FA", "two-factor", "MFA" → `twofactor`; "sign in",
 * "log in" → `login`), a light English stem, and the words that say nothing about the subject
 * (function words, question words, Slack chatter such as "ok dumb question but") left out.
 */

/** Words that carry no subject: function words, question words and the chatter around a question. */
const IGNORED = new Set(
  // function words
  (
    'a an and are as at be been being but by can could do does did doing done for from had has have ' +
    'having he her here hers him his how i if in into is it its itself me my myself no nor not of off ' +
    'on once only or other our ours out over own same she should so some such than that the their ' +
    'theirs them then there these they this those through to too under until up very was we were what ' +
    'when where which while who whom why will with would you your yours yourself us am any all also ' +
    'just still again ever even else more most much many lot lots way ways thing things something ' +
    'anything everything someone anyone anybody somebody one ones about above after before below ' +
    'between both each few further like really quite maybe perhaps actually basically literally ' +
    // question words and chatter
    'hi hello hey hiya yo folks guys team everyone all ok okay oki k so um uh hmm well please pls plz ' +
    'thanks thank thx ty cheers quick dumb stupid silly question questions ask asking wondering wonder ' +
    'curious know knows knew tell show explain help helps need needs needed want wants wanted trying ' +
    'try tried possible able way is there anyone anybody sorry sure figure idea ideas advice somehow ' +
    "i'm im i've ive i'd id i'll ill it's we're we've you're don't dont doesn't doesnt didn't didnt " +
    "can't cant cannot won't wont isn't isnt aren't arent what's whats how's hows where's wheres " +
    'get got getting gets go going goes do doing does make makes making see seems seem look looking ' +
    'find finding use using used would should could might must shall may yes yeah yep nope right ' +
    'now today currently already yet soon asap urgent urgently again'
  ).split(/\s+/),
);

/** Phrases folded into one term before words are split; earlier first so "single sign on" beats "sign on". */
const PHRASES: ReadonlyArray<readonly [string, string]> = [
  ['single sign[ -]?on', 'sso'],
  ['two[ -]?factor(?: auth(?:entication)?)?', 'twofactor'],
  ['multi[ -]?factor(?: auth(?:entication)?)?', 'twofactor'],
  ['(?:two|2)[ -]?step(?: verification| auth(?:entication)?)?', 'twofactor'],
  ['second factor', 'twofactor'],
  ['one[ -]?time (?:code|password|passcode)', 'twofactor'],
  ['authenticator app', 'twofactor'],
  ['sign(?:ed|ing)?[ -]?in', 'login'],
  ['log(?:ged|ging)?[ -]?in(?:to)?', 'login'],
  ['log(?:ged|ging)?[ -]?on', 'login'],
  ['sign(?:ed|ing)?[ -]?out', 'logout'],
  ['log(?:ged|ging)?[ -]?out', 'logout'],
  ['locked out', 'lockout'],
  ['sign(?:ed|ing)?[ -]?up', 'signup'],
  ['set(?:ting)?[ -]?up', 'setup'],
  ['rate[ -]?limit(?:s|ed|ing)?', 'ratelimit'],
  ['too many requests', 'ratelimit'],
  ['api[ -]?(?:key|token)s?', 'apikey'],
  ['access tokens?', 'apikey'],
  ['credit cards?', 'card'],
  ['debit cards?', 'card'],
  ['e[ -]mail', 'email'],
  ['pass[ -]word', 'password'],
  ['user[ -]?name', 'username'],
  ['web[ -]hooks?', 'webhook'],
  ['pay[ -]?wall', 'paywall'],
];

/** All phrases as one pattern (one pass over a text), each alternative a group so the match names its term. */
const PHRASE_PATTERN = new RegExp(
  `(?<![a-z0-9])(?:${PHRASES.map(([pattern]) => `(${pattern})`).join('|')})(?![a-z0-9])`,
  'g',
);

/** Single words with the same meaning as a more common one (after stemming). */
const SYNONYMS: Readonly<Record<string, string>> = {
  '2fa': 'twofactor',
  mfa: 'twofactor',
  tfa: 'twofactor',
  otp: 'twofactor',
  totp: 'twofactor',
  '2sv': 'twofactor',
  authenticator: 'twofactor',
  signin: 'login',
  login: 'login',
  logon: 'login',
  signout: 'logout',
  logoff: 'logout',
  signup: 'signup',
  register: 'signup',
  registration: 'signup',
  pw: 'password',
  pwd: 'password',
  passwd: 'password',
  passcode: 'password',
  saml: 'sso',
  'e-mail': 'email',
  mail: 'email',
  emails: 'email',
  erase: 'delete',
  remove: 'delete',
  removal: 'delete',
  deletion: 'delete',
  wipe: 'delete',
  unsubscribe: 'cancel',
  cancellation: 'cancel',
  bill: 'invoice',
  billed: 'invoice',
  receipt: 'invoice',
  colleague: 'teammate',
  coworker: 'teammate',
  'co-worker': 'teammate',
  subscription: 'plan',
  tier: 'plan',
  pricing: 'price',
  cost: 'price',
  costs: 'price',
  download: 'export',
  backup: 'export',
  outage: 'outage',
  downtime: 'outage',
  incident: 'outage',
  throttle: 'ratelimit',
  throttled: 'ratelimit',
  throttling: 'ratelimit',
  '429': 'ratelimit',
  declined: 'decline',
  refused: 'decline',
  callback: 'webhook',
  gdpr: 'privacy',
  dsar: 'privacy',
  requirement: 'require',
  requirements: 'require',
  browsers: 'browser',
  chrome: 'browser',
  firefox: 'browser',
  safari: 'browser',
  reset: 'reset',
  forgot: 'forget',
  forgotten: 'forget',
  lost: 'forget',
  invite: 'invite',
  invitation: 'invite',
  renew: 'renew',
  renewal: 'renew',
  upgrade: 'plan',
  downgrade: 'plan',
};

/** An IPv4 address ("10.0.0.5"): read as the words "ip address", not as four numbers. */
const IP_ADDRESS = /(?<![\d.])\d{1,3}(?:\.\d{1,3}){3}(?![\d.])/g;

/** Lowercased, unaccented text with phrases folded to single terms. */
export function normalise(text: string): string {
  const lower = text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[’‘]/g, "'")
    .replace(IP_ADDRESS, ' ip address ');
  return lower.replace(PHRASE_PATTERN, (...groups: unknown[]) => {
    const index = groups.slice(1, PHRASES.length + 1).findIndex((group) => group !== undefined);
    return ` ${PHRASES[index]?.[1] ?? ''} `;
  });
}

/** Words of a normalised text, apostrophes inside words kept ("don't"). */
function splitWords(text: string): string[] {
  return text
    .split(/[^a-z0-9']+/)
    .map((word) => word.replace(/^'+|'+$/g, ''))
    .filter(Boolean);
}

/**
 * The terms of a text as deskhand compares them: phrases folded, synonyms mapped, stemmed, with
 * the words that carry no subject left out. Order is kept; duplicates are kept (for counting).
 */
export function analyse(text: string): string[] {
  const terms: string[] = [];
  for (const word of splitWords(normalise(text))) {
    const term = termOf(word);
    if (term) terms.push(term);
  }
  return terms;
}

/** The distinct subject terms of a question. */
export function questionTerms(question: string): string[] {
  return [...new Set(analyse(question))];
}

/** Words seen before and their terms: the same few thousand words come back in every passage. */
const termCache = new BoundedCache<string | undefined>(50_000);

/** One word as a term, or undefined when it carries no subject. */
export function termOf(word: string): string | undefined {
  return termCache.get(word, () => computeTerm(word));
}

function computeTerm(word: string): string | undefined {
  const bare = word.replace(/'s$/, '');
  if (bare.length < 2 && !/^\d$/.test(bare)) return undefined;
  if (IGNORED.has(bare)) return undefined;
  const mapped = SYNONYMS[bare];
  if (mapped) return mapped;
  const stemmed = stemWord(bare);
  // "quickly", "asked": a chatter word in another form is still chatter.
  if (IGNORED.has(stemmed)) return undefined;
  return SYNONYMS[stemmed] ?? misspelledSynonym(bare) ?? stemmed;
}

/** Long synonym keys, for typos of them ("subscripton" → `plan`). */
const LONG_SYNONYMS = Object.keys(SYNONYMS).filter((key) => key.length >= 7);

/** The synonym of a word one typo away from a long synonym key, if any. */
function misspelledSynonym(word: string): string | undefined {
  if (word.length < 7) return undefined;
  for (const key of LONG_SYNONYMS) {
    if (key[0] === word[0] && editDistanceWithin(word, key, 1) <= 1) return SYNONYMS[key];
  }
  return undefined;
}

/**
 * A light English stem (plural, -ing, -ed, -ly, -ation, -ment…), enough for "resetting", "resets"
 * and "reset", or "invoices" and "invoice", to meet; numbers and short words are left alone.
 */
export function stemWord(word: string): string {
  if (word.length <= 3 || /\d/.test(word)) return word;
  let w = word;
  if (w.endsWith('ies') && w.length > 4) w = `${w.slice(0, -3)}y`;
  else if (w.endsWith('sses')) w = w.slice(0, -2);
  else if (w.endsWith('xes') || w.endsWith('ches') || w.endsWith('shes')) w = w.slice(0, -2);
  else if (w.endsWith('s') && !/(ss|us|is|ys)$/.test(w) && w.length > 4) w = w.slice(0, -1);

  for (const [suffix, replacement] of [
    ['ational', 'ate'],
    ['ization', 'ize'],
    ['isation', 'ize'],
    ['ations', 'ate'],
    ['ation', 'ate'],
    ['ement', 'e'],
    ['ments', ''],
    ['ment', ''],
    ['ingly', ''],
    ['edly', ''],
    ['fully', 'ful'],
    ['ly', ''],
  ] as const) {
    if (w.endsWith(suffix) && w.length - suffix.length >= 4) {
      w = `${w.slice(0, -suffix.length)}${replacement}`;
      break;
    }
  }
  for (const suffix of ['ing', 'ed']) {
    const candidate = w.slice(0, -suffix.length);
    // "string" and "speed" are not "str" + ing or "spe" + ed: the rest needs a vowel, and no "ee".
    if (
      w.endsWith(suffix) &&
      candidate.length >= 3 &&
      /[aeiouy]/.test(candidate) &&
      !candidate.endsWith('e')
    ) {
      let base = candidate;
      // "resetting" → "resett" → "reset"; "billing" keeps its "ll".
      if (/([^aeiouls])\1$/.test(base)) base = base.slice(0, -1);
      // "expired" → "expir" → "expire", "charged" → "charge": put back the e a word lost.
      else if (/[^aeiou][aeiou][cgsvz]$/.test(base) || /(?:at|iz|ir|ur|ag|ug)$/.test(base)) base = `${base}e`;
      w = base;
      break;
    }
  }
  if (w.length > 4 && w.endsWith('e') && !/(ee|ie|ye|oe)$/.test(w)) w = w.slice(0, -1);
  return w;
}

/** Levenshtein distance up to `max` (anything further is reported as `max + 1`). */
export function editDistanceWithin(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const value = Math.min(
        (previous[j] ?? 0) + 1,
        (current[j - 1] ?? 0) + 1,
        (previous[j - 1] ?? 0) + cost,
      );
      current.push(value);
      if (value < rowMin) rowMin = value;
    }
    if (rowMin > max) return max + 1;
    previous = current;
  }
  return previous[b.length] ?? max + 1;
}

/**
 * The distinct terms of a text, cached by the text: knowledge passages, their sentences and titles
 * come back unchanged on every question, so each is read once. The set is shared: do not change it.
 */
export function termSet(text: string): ReadonlySet<string> {
  return termSetCache.get(text, () => new Set(analyse(text)));
}
/** Enough for every passage, sentence and title of a few hundred articles. */
const termSetCache = new BoundedCache<ReadonlySet<string>>(20_000);
