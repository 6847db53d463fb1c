/** What a value of each declared IO type looks like. Used for defaults here and for executions by the host. */
import { ENTITY_IO_TYPES, artifactTypeOf } from './vocabulary.js';

const entityTypes: ReadonlySet<string> = new Set(ENTITY_IO_TYPES);

/** Checks an entity value; the platform may register a stricter check per entity type. */
export type EntityCheck = (value: unknown) => boolean;

/** The default entity check: an object with a string `id`. */
export const hasStringId: EntityCheck = (value) =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && typeof (value as { id?: unknown }).id === 'string';

/** A reference to a stored artifact, as function inputs take it and Execution outputs hold it. */
export interface ArtifactReference {
  artifact: string;
}

export const isArtifactReference = (value: unknown): value is ArtifactReference =>
  typeof value === 'object' && value !== null && typeof (value as { artifact?: unknown }).artifact === 'string';

/**
 * Returns why `value` is not of `type`, or `undefined` when it is.
 * `entityCheck` decides entity types (Item, Dataset...); an `Artifact:<name>`
 * value is a reference `{ artifact: id }`.
 */
export function ioTypeProblem(
  type: string,
  value: unknown,
  entityCheck: (entity: string, value: unknown) => boolean = (_e, v) => hasStringId(v),
): string | undefined {
  if (artifactTypeOf(type) !== undefined)
    return isArtifactReference(value) ? undefined : 'expected a reference to a stored artifact, { artifact: "<id>" }';
  if (type.endsWith('[]')) {
    if (!Array.isArray(value)) return `expected a list of ${type.slice(0, -2)}`;
    const base = type.slice(0, -2);
    for (let i = 0; i < value.length; i++) {
      const problem = ioTypeProblem(base, value[i], entityCheck);
      if (problem) return `element ${i}: ${problem}`;
    }
    return undefined;
  }
  if (entityTypes.has(type))
    return entityCheck(type, value) ? undefined : `expected ${type === 'Item' ? 'an' : 'a'} ${type} (an object with a string id)`;
  switch (type) {
    case 'String':
      return typeof value === 'string' ? undefined : 'expected a string';
    case 'Boolean':
      return typeof value === 'boolean' ? undefined : 'expected true or false';
    case 'Integer':
      return Number.isSafeInteger(value) ? undefined : 'expected an integer';
    case 'Number':
    case 'Float':
      return typeof value === 'number' && Number.isFinite(value) ? undefined : 'expected a finite number';
    default:
      return value === undefined ? 'expected a JSON value' : undefined;
  }
}
