/**
 * Dioptra's parameter and return mapping for declared functions: inputs are
 * matched by name with defaults, outputs by position.
 */
import { ErrorCode } from '../errors/error-code.js';
import { SlotbridgeError } from '../errors/slotbridge-error.js';
import { ioTypeProblem } from '../manifest/io-values.js';
import type { IoParameterDefinition } from '../manifest/schema.js';
import { artifactTypeOf } from '../manifest/vocabulary.js';

/** Checks an entity value of a type (Item, Dataset...); the host's default wants an object with a string id. */
export type EntityChecks = (type: string, value: unknown) => boolean;

/** Builds the inputs a function receives: declared names only, defaults filled in, types checked. */
export function mapInputs(
  fn: string,
  declared: readonly IoParameterDefinition[],
  inputs: unknown,
  entityCheck: EntityChecks,
): Record<string, unknown> {
  if (typeof inputs !== 'object' || inputs === null || Array.isArray(inputs)) {
    throw new SlotbridgeError(
      ErrorCode.INVALID_ARGUMENTS,
      `${fn} takes its inputs as an object by name: { ${declared.map((p) => p.name).join(', ')} }.`,
    );
  }
  const given = inputs as Record<string, unknown>;
  const names = new Set(declared.map((p) => p.name));
  const unknown = Object.keys(given).filter((k) => !names.has(k));
  if (unknown.length > 0) {
    throw new SlotbridgeError(
      ErrorCode.INVALID_ARGUMENTS,
      `${fn} has no input ${unknown.map((n) => `"${n}"`).join(', ')}; its inputs are: ${[...names].join(', ') || '(none)'}.`,
      { inputs: unknown },
    );
  }
  const out: [string, unknown][] = [];
  for (const param of declared) {
    const value = Object.hasOwn(given, param.name) ? given[param.name] : param.value;
    if (value === undefined) {
      throw new SlotbridgeError(ErrorCode.INVALID_ARGUMENTS, `${fn} needs the input "${param.name}" (${param.type}).`, {
        input: param.name,
      });
    }
    const problem = ioTypeProblem(param.type, value, entityCheck);
    if (problem)
      throw new SlotbridgeError(ErrorCode.INVALID_ARGUMENTS, `${fn}: input "${param.name}" is not a ${param.type}: ${problem}.`, {
        input: param.name,
      });
    out.push([param.name, value]);
  }
  // fromEntries defines properties: a parameter named "__proto__" stays a plain key.
  return Object.fromEntries(out);
}

/**
 * Maps a return value to the declared outputs: a single value to the first
 * output, an array to the outputs in order; extra values are dropped, too
 * few is `OUTPUT_MISMATCH`.
 */
export function mapOutputs(
  fn: string,
  declared: readonly IoParameterDefinition[],
  result: unknown,
  entityCheck: EntityChecks,
): Record<string, unknown> {
  if (declared.length === 0) return {};
  const first = declared[0];
  // An array is positional unless it is the whole value of a single list-typed output.
  const positional = Array.isArray(result) && (declared.length > 1 || !first.type.endsWith('[]'));
  const values: unknown[] = positional ? (result as unknown[]) : [result];
  // Values up to the first undefined one count: `undefined` is what a function that returns nothing gives.
  const firstMissing = values.indexOf(undefined);
  const given = firstMissing === -1 ? values.length : firstMissing;
  if (given < declared.length) {
    throw new SlotbridgeError(
      ErrorCode.OUTPUT_MISMATCH,
      `${fn} returned ${given === 0 ? 'nothing' : `${given} value${given === 1 ? '' : 's'}`} but declares ${declared.length} output${declared.length === 1 ? '' : 's'} (${declared.map((o) => o.name).join(', ')}); ${declared.length === 1 ? 'return its value' : 'return them in order as an array'}.`,
    );
  }
  return Object.fromEntries(
    declared.map((param, i) => {
      // An artifact output is any value: its type's serialize decides what it takes.
      const problem = artifactTypeOf(param.type) === undefined ? ioTypeProblem(param.type, values[i], entityCheck) : undefined;
      if (problem)
        throw new SlotbridgeError(ErrorCode.OUTPUT_MISMATCH, `${fn}: output "${param.name}" is not a ${param.type}: ${problem}.`, {
          output: param.name,
        });
      return [param.name, values[i]];
    }),
  );
}
