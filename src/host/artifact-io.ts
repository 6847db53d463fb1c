/**
 * The host's side of artifact types: checking the references a function
 * receives, and turning what a `serialize` returns into stored bytes and back
 * into what a `deserialize` receives.
 */
import { ErrorCode } from '../errors/error-code.js';
import { SlotbridgeError } from '../errors/slotbridge-error.js';
import type { ArtifactReference } from '../manifest/io-values.js';
import type { IoParameterDefinition } from '../manifest/schema.js';
import { artifactTypeOf } from '../manifest/vocabulary.js';
import { notFound } from '../registry/artifact-shelf.js';
import type { ArtifactRecord } from '../registry/types.js';

/** An input of an `Artifact:<type>` type, with the record its reference names. */
export interface ArtifactInput {
  name: string;
  record: ArtifactRecord;
}

/**
 * The records behind a function's artifact inputs, checked before it runs:
 * `ARTIFACT_NOT_FOUND`, `SCOPE_VIOLATION` for another project's, and
 * `INVALID_ARGUMENTS` for another type's or another app's.
 */
export async function artifactInputs(
  fn: string,
  app: string,
  project: string,
  declared: readonly IoParameterDefinition[],
  inputs: Record<string, unknown>,
  get: (id: string) => Promise<ArtifactRecord | undefined>,
): Promise<ArtifactInput[]> {
  const out: ArtifactInput[] = [];
  for (const param of declared) {
    const type = artifactTypeOf(param.type);
    if (type === undefined) continue;
    const { artifact: id } = inputs[param.name] as ArtifactReference;
    const record = await get(id);
    if (!record) throw notFound(id);
    if (record.project !== project) {
      throw new SlotbridgeError(
        ErrorCode.SCOPE_VIOLATION,
        `${fn}: artifact ${id} belongs to another project than "${project}", where ${fn} runs; use an artifact of this project.`,
        { input: param.name },
      );
    }
    if (record.app !== app || record.type !== type) {
      throw new SlotbridgeError(
        ErrorCode.INVALID_ARGUMENTS,
        `${fn}: input "${param.name}" takes an Artifact:${type} of ${app}; artifact ${id} is an Artifact:${record.type} of ${record.app}.`,
        { input: param.name },
      );
    }
    out.push({ name: param.name, record });
  }
  return out;
}

/** What a `serialize` returned, as bytes to store: bytes as they are, any other value as UTF-8 JSON text. */
export function encodeArtifact(type: string, value: unknown): { data: Uint8Array; encoding: ArtifactRecord['encoding'] } {
  if (value instanceof ArrayBuffer) return { data: new Uint8Array(value), encoding: 'bytes' };
  if (ArrayBuffer.isView(value)) {
    const view = new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
    // A view of part of a buffer is copied: storing it whole would store the rest of the buffer too.
    return { data: view.byteLength === value.buffer.byteLength ? view : view.slice(), encoding: 'bytes' };
  }
  let json: string | undefined;
  try {
    json = JSON.stringify(value);
  } catch {
    json = undefined;
  }
  if (json === undefined) {
    throw new SlotbridgeError(
      ErrorCode.EXECUTION_FAILED,
      `The serialize function of Artifact:${type} returned nothing storable; return bytes (an ArrayBuffer or a typed array) or a JSON value.`,
    );
  }
  return { data: new TextEncoder().encode(json), encoding: 'json' };
}

/** Stored bytes as the `deserialize` receives them: the bytes, or the JSON value they hold. */
export function decodeArtifact(record: ArtifactRecord, data: Uint8Array): unknown {
  return record.encoding === 'json' ? JSON.parse(new TextDecoder().decode(data)) : data;
}
