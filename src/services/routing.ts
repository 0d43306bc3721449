/**
 * How an interchange party (ISA05/06, ISA07/08, UNB02, UNB03) is matched to
 * a registered ECGrid ID. Documented for users in docs/parcels.md; kept
 * small on purpose, so a sender can predict where a parcel goes:
 *
 * - IDs match ignoring ASCII case: "acme" in a file reaches "ACME".
 * - Qualifiers match ignoring case, and these pairs count as one:
 *   ZZ = ZZZ (mutually defined: X12 writes ZZ, EDIFACT ZZZ) and
 *   01 = 1 (DUNS). No other qualifiers are equivalent: X12 "14" (DUNS+4)
 *   and EDIFACT "14" (GLN) mean different things.
 * - An EDIFACT party without a qualifier matches on its ID alone.
 * - When more than one ID fits, the one written exactly as the file writes
 *   it (same case, same qualifier) wins; without a single such one the
 *   match is ambiguous and the parcel is not delivered.
 */
import type { EcGridIdRecord } from '../domain/types.js';
import type { PartyId } from '../edi/envelope.js';

const EQUIVALENT_QUALIFIERS: readonly (readonly string[])[] = [
  ['ZZ', 'ZZZ'],
  ['01', '1'],
];

export type PartyMatch =
  | { kind: 'found'; record: EcGridIdRecord }
  | { kind: 'none' }
  | { kind: 'ambiguous'; records: EcGridIdRecord[] };

/** Upper-cases ASCII letters only, as the stores' upper() does, so both sides fold alike. */
export function asciiUpper(text: string): string {
  return text.replace(/[a-z]+/g, (letters) => letters.toUpperCase());
}

export function sameQualifier(a: string, b: string): boolean {
  const x = asciiUpper(a);
  const y = asciiUpper(b);
  return x === y || EQUIVALENT_QUALIFIERS.some((group) => group.includes(x) && group.includes(y));
}

/** Chooses among candidates (IDs equal to the party's ignoring case, as findRoutingCandidates answers). */
export function matchParty(party: PartyId, candidates: readonly EcGridIdRecord[]): PartyMatch {
  const fits = candidates.filter(
    (c) => asciiUpper(c.id) === asciiUpper(party.id) && (party.qualifier === '' || sameQualifier(c.qualifier, party.qualifier)),
  );
  const [only] = fits;
  if (fits.length === 1 && only) return { kind: 'found', record: only };
  if (fits.length === 0) return { kind: 'none' };
  const exact = fits.filter((c) => c.id === party.id && asciiUpper(c.qualifier) === asciiUpper(party.qualifier));
  const [winner] = exact;
  if (exact.length === 1 && winner) return { kind: 'found', record: winner };
  return { kind: 'ambiguous', records: fits };
}

/** `ZZ:ACME`, or just `ACME` for an EDIFACT party without a qualifier. */
export function describeParty(party: PartyId): string {
  return party.qualifier === '' ? party.id : `${party.qualifier}:${party.id}`;
}
