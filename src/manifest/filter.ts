/**
 * A wizard dropdown's `filter` pattern. It comes from a manifest and runs on
 * the platform page, so it runs on RE2's engine (`re2js`), whose time grows
 * linearly with the text: no pattern can hold the page the way nested
 * quantifiers hold a backtracking engine. The syntax is Python's `re`, as
 * ClearML writes it (`(?i)`, `(?P<name>...)`). RE2 has no lookaround; the
 * one form real filters use, lookaheads right after `^` (`^(?i)(?!example).*$`,
 * "names that do not start with example"), is run as separate anchored
 * matches. Other lookarounds and backreferences are `BAD_INPUT`, and so is
 * a pattern whose compiled program is large: a match costs about its size
 * times the text's length.
 */
import { RE2JS } from 're2js';
import { ErrorCode } from '../errors/error-code.js';
import { SlotbridgeError } from '../errors/slotbridge-error.js';

/** A compiled filter: whether a field's text matches. */
export interface Filter {
  test(text: string): boolean;
}

/** Longest pattern a manifest may give a filter. */
const MAX_PATTERN = 1000;
/**
 * Largest compiled program (RE2's measure of a pattern's cost): matching
 * takes about this many steps a character, so it bounds a match with the
 * text's length below. `^(.*a){25}$` is 129.
 */
const MAX_PROGRAM = 256;
/** Inline flag groups such as `(?i)`, which RE2 takes as Python writes them. */
const INLINE_FLAGS = /^\(\?[imsU]+\)/;

export function compileFilter(pattern: string): Filter {
  if (pattern.length > MAX_PATTERN) throw refuse(pattern, `it is longer than ${MAX_PATTERN} characters`);
  if (/\(\?[a-zA-Z]*x/.test(pattern))
    throw refuse(pattern, 'it uses the verbose flag (?x), which filters lack; write the pattern without it');
  const { main, lookaheads } = splitLookaheads(pattern);
  const whole = compile(pattern, main);
  const checks = lookaheads.map(({ negative, source }) => ({ negative, regex: compile(pattern, source) }));
  return {
    test: (text) => {
      return checks.every(({ negative, regex }) => regex.matcher(text).find() !== negative) && whole.matcher(text).find();
    },
  };
}

function compile(pattern: string, source: string): RE2JS {
  let compiled: RE2JS;
  try {
    compiled = RE2JS.compile(source);
  } catch (error) {
    throw refuse(
      pattern,
      `${(error as Error).message}; filters take RE2 syntax, without lookaround (except right after ^) or backreferences`,
    );
  }
  if (compiled.programSize() > MAX_PROGRAM)
    throw refuse(
      pattern,
      `it is too complex to match quickly (size ${compiled.programSize()}, at most ${MAX_PROGRAM}); write a simpler pattern`,
    );
  return compiled;
}

function refuse(pattern: string, why: string): SlotbridgeError {
  return new SlotbridgeError(
    ErrorCode.BAD_INPUT,
    `Filter "${pattern.slice(0, 100)}" is not a valid regular expression for a filter: ${why}.`,
  );
}

/**
 * `^(?=a)(?!b)rest` as `^rest` and the anchored checks `^(?:a)` (must
 * match) and `^(?:b)` (must not). A lookahead at the start of the text is
 * exactly an anchored match of its body there. With `(?m)` a `^` is every
 * line's start, so such a pattern is left whole (and RE2 refuses it).
 */
function splitLookaheads(pattern: string): { main: string; lookaheads: { negative: boolean; source: string }[] } {
  let at = 0;
  let flags = '';
  const takeFlags = (): void => {
    for (let m = INLINE_FLAGS.exec(pattern.slice(at)); m; m = INLINE_FLAGS.exec(pattern.slice(at))) {
      flags += m[0];
      at += m[0].length;
    }
  };
  takeFlags();
  if (pattern[at] !== '^' || flags.includes('m')) return { main: pattern, lookaheads: [] };
  at++;
  takeFlags();
  const lookaheads: { negative: boolean; source: string }[] = [];
  while (pattern.startsWith('(?=', at) || pattern.startsWith('(?!', at)) {
    const end = groupEnd(pattern, at);
    if (end < 0) break;
    lookaheads.push({ negative: pattern[at + 2] === '!', source: `${flags}^(?:${pattern.slice(at + 3, end - 1)})` });
    at = end;
    takeFlags();
  }
  if (flags.includes('m')) return { main: pattern, lookaheads: [] };
  return { main: `${flags}^${pattern.slice(at)}`, lookaheads };
}

/** The index just past the group that opens at `start`, with escapes and character classes skipped; -1 if it never closes. */
function groupEnd(source: string, start: number): number {
  let depth = 0;
  let inClass = false;
  for (let i = start; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') i++;
    else if (inClass) inClass = c !== ']';
    else if (c === '[') inClass = true;
    else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return i + 1;
  }
  return -1;
}
