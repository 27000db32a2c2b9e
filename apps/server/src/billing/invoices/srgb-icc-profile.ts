/**
 * The sRGB colour space (IEC 61966-2-1) as an ICC version 2 display profile, built from the standard's
 * published constants rather than shipped as a binary file (decision 150): no kept npm package carries
 * an sRGB profile under a licence we could check, and the profile is small enough to write.
 *
 * Layout (ICC.1:2001-04): a 128-byte header, a tag table, then the tag data. A matrix/TRC display
 * profile needs description, copyright, media white point, the three colorants (the sRGB primaries
 * chromatically adapted to the D50 connection space with the Bradford transform, as the ICC's own
 * sRGB profiles have them) and the three tone curves, which share one sampled sRGB transfer curve.
 */

/** The sRGB red, green and blue primaries adapted to D50 (Bradford), X Y Z each. */
const COLORANTS = {
  rXYZ: [0.4360747, 0.2225045, 0.0139322],
  gXYZ: [0.3850649, 0.7168786, 0.0971045],
  bXYZ: [0.1430804, 0.0606169, 0.7141733],
} as const;
/** The display's white, D65, which the version 2 media white point records unadapted. */
const D65 = [0.9504559, 1, 1.0890578] as const;
/** The profile connection space's illuminant, D50, as every ICC header states it. */
const D50 = [0.9642, 1, 0.8249] as const;
/** Samples of the transfer curve: enough that the linear interpolation between them is invisible. */
const CURVE_POINTS = 1024;

export const SRGB_PROFILE_DESCRIPTION = 'sRGB IEC61966-2.1';

/** The sRGB decoding function (encoded value 0–1 to linear light 0–1), IEC 61966-2-1 § 5.2. */
export function srgbToLinear(encoded: number): number {
  return encoded <= 0.04045 ? encoded / 12.92 : ((encoded + 0.055) / 1.055) ** 2.4;
}

const ascii = (text: string) => Uint8Array.from(text, (char) => char.charCodeAt(0) & 0x7f);
const signature = (text: string) => ascii(text.padEnd(4, ' ').slice(0, 4));

/** An XYZNumber: three s15Fixed16Numbers (signed, 16 bits of fraction). */
function writeXyz(view: DataView, offset: number, xyz: readonly [number, number, number]): void {
  for (const [index, value] of xyz.entries()) view.setInt32(offset + index * 4, Math.round(value * 65536));
}

function xyzTag(xyz: readonly [number, number, number]): Uint8Array {
  const bytes = new Uint8Array(20);
  const view = new DataView(bytes.buffer);
  bytes.set(signature('XYZ '), 0);
  writeXyz(view, 8, xyz);
  return bytes;
}

function curveTag(): Uint8Array {
  const bytes = new Uint8Array(12 + CURVE_POINTS * 2);
  const view = new DataView(bytes.buffer);
  bytes.set(signature('curv'), 0);
  view.setUint32(8, CURVE_POINTS);
  for (let index = 0; index < CURVE_POINTS; index++) {
    const linear = srgbToLinear(index / (CURVE_POINTS - 1));
    view.setUint16(12 + index * 2, Math.round(linear * 65535));
  }
  return bytes;
}

/** textDescriptionType (version 2): ASCII text, then empty Unicode and Macintosh ScriptCode parts. */
function descriptionTag(text: string): Uint8Array {
  const value = ascii(text);
  const bytes = new Uint8Array(12 + value.length + 1 + 4 + 4 + 2 + 1 + 67);
  const view = new DataView(bytes.buffer);
  bytes.set(signature('desc'), 0);
  view.setUint32(8, value.length + 1);
  bytes.set(value, 12);
  return bytes;
}

function textTag(text: string): Uint8Array {
  const value = ascii(text);
  const bytes = new Uint8Array(8 + value.length + 1);
  bytes.set(signature('text'), 0);
  bytes.set(value, 8);
  return bytes;
}

const align = (length: number) => (length + 3) & ~3;

/** The profile's bytes; the same on every call (its date is the standard's, not today's). */
export function srgbIccProfile(): Uint8Array {
  const curve = curveTag();
  const data: Array<[string, Uint8Array]> = [
    ['desc', descriptionTag(SRGB_PROFILE_DESCRIPTION)],
    ['cprt', textTag('No copyright, use freely. Built by Mailissa from IEC 61966-2-1.')],
    ['wtpt', xyzTag(D65)],
    ['rXYZ', xyzTag(COLORANTS.rXYZ)],
    ['gXYZ', xyzTag(COLORANTS.gXYZ)],
    ['bXYZ', xyzTag(COLORANTS.bXYZ)],
    ['rTRC', curve],
    ['gTRC', curve],
    ['bTRC', curve],
  ];
  const tableLength = 4 + data.length * 12;
  // Tags holding the same bytes (the three tone curves) point at one copy, as the format allows.
  const placed = new Map<Uint8Array, number>();
  let cursor = 128 + tableLength;
  const entries = data.map(([tag, bytes]) => {
    let offset = placed.get(bytes);
    if (offset === undefined) {
      offset = cursor;
      placed.set(bytes, offset);
      cursor += align(bytes.length);
    }
    return { tag, bytes, offset };
  });
  const profile = new Uint8Array(cursor);
  const view = new DataView(profile.buffer);

  view.setUint32(0, profile.length);
  view.setUint32(8, 0x02100000); // version 2.1
  profile.set(signature('mntr'), 12); // display device
  profile.set(signature('RGB '), 16);
  profile.set(signature('XYZ '), 20);
  // Creation date: 1999-01-01, the year IEC 61966-2-1 was published.
  view.setUint16(24, 1999);
  view.setUint16(26, 1);
  view.setUint16(28, 1);
  profile.set(signature('acsp'), 36);
  view.setUint32(64, 0); // rendering intent: perceptual
  writeXyz(view, 68, D50);

  view.setUint32(128, entries.length);
  entries.forEach((entry, index) => {
    const at = 132 + index * 12;
    profile.set(signature(entry.tag), at);
    view.setUint32(at + 4, entry.offset);
    view.setUint32(at + 8, entry.bytes.length);
    profile.set(entry.bytes, entry.offset);
  });
  return profile;
}
