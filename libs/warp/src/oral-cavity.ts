/**
 * The oral cavity of an opening: what a mouth shows where neither the frame's own interior nor a donor's is
 * carried (mouth-interior.ts).
 *   - The dark: the lips' hue, mostly desaturated (lipstick must not paint the throat) and darkened, darkest in the
 *     middle of the opening.
 *   - The tongue, in an opening wide enough to show it (TONGUE_OPENING): it rises from behind the lower lip (a thin
 *     shadow between them, TONGUE_SEAM) to an arched top, highest in the middle of the mouth; pink, lit as the skin
 *     around the mouth is (TONGUE_ALBEDO), brightest at the front and darker towards the throat and the corners,
 *     with a soft top edge. A wide-open mouth drawn dark all the way down to the lower lip reads as a hole.
 */
import { luma } from '@facex/imaging';
import { mouthFrame, type Opening } from './mouth-opening';

/** The dark's brightness against the lips: this at the lips, CAVITY_CORE in the middle of the opening. */
const CAVITY_EDGE = 0.3,
  CAVITY_CORE = 0.08;
/** How much of the lips' saturation the dark keeps. */
const CAVITY_SATURATION = 0.35;
/** The tongue shows from this gap over the mouth's width, fully from TONGUE_OPENING + TONGUE_FADE. */
const TONGUE_OPENING = 0.15,
  TONGUE_FADE = 0.1;
/** The tongue's top above the lower lip in the middle of the mouth (share of the gap); it falls to the lip at TONGUE_SPAN of the half width. */
const TONGUE_HEIGHT = 0.38,
  TONGUE_SPAN = 0.85;
/**
 * The tongue's colour: this per channel times the luma of the skin around the mouth (pink, in the mouth's shadow),
 * tinted by the square root of the skin's colour over its luma (the light's colour, partly: the skin's own hue is in it too).
 */
const TONGUE_ALBEDO: readonly [number, number, number] = [0.82, 0.45, 0.5];
/** Its light: this share at the lower lip, TONGUE_BACK at its top (further in, shadowed by the upper lip), less by TONGUE_SIDES towards the corners. */
const TONGUE_FRONT = 1,
  TONGUE_BACK = 0.55,
  TONGUE_SIDES = 0.35;
/**
 * Between the lower lip and the tongue a shadow this share of the gap deep, at least TONGUE_MIN_SEAM crop pixels
 * (the lip's inner edge and the lower teeth shade it): the tongue does not merge with the lip into one band.
 */
const TONGUE_SEAM = 0.08,
  TONGUE_MIN_SEAM = 1.2;
/** The soft top edge's width: this share of the gap, at least TONGUE_MIN_EDGE crop pixels. */
const TONGUE_EDGE = 0.25,
  TONGUE_MIN_EDGE = 1.5;

type Rgb = readonly [number, number, number];

/** The cavity's colour at each crop pixel of the opening `to`, given the frame's lip and skin colours (sRGB 0…255). */
export function oralCavity(to: Opening, lip: Rgb, skin: Rgb): (x: number, y: number) => number[] {
  const frame = mouthFrame(to);
  const grey = (lip[0] + lip[1] + lip[2]) / 3;
  const dark = lip.map((v) => grey + CAVITY_SATURATION * (v - grey));
  const halfGap = to.gap / 2 || 1;
  const tongue = Math.min(1, Math.max(0, (to.gap / (to.width || 1) - TONGUE_OPENING) / TONGUE_FADE));
  const height = TONGUE_HEIGHT * to.gap;
  const edge = Math.max(TONGUE_MIN_EDGE, TONGUE_EDGE * to.gap);
  const reach = (TONGUE_SPAN * to.width) / 2 || 1;
  const seam = Math.max(TONGUE_MIN_SEAM, TONGUE_SEAM * to.gap);
  const skinLuma = Math.max(1, luma(skin[0], skin[1], skin[2]));
  const tongueColour = TONGUE_ALBEDO.map((albedo, k) => skinLuma * albedo * Math.sqrt(skin[k] / skinLuma));
  return (x, y) => {
    const { along, depth } = frame.place(x, y);
    // The middle of the opening lies half the gap below the upper lip.
    const across = Math.abs(depth - halfGap) / halfGap;
    const shade = CAVITY_CORE + (CAVITY_EDGE - CAVITY_CORE) * Math.min(1, across * across);
    const colour = dark.map((v) => v * shade);
    if (tongue === 0) return colour;
    const aboveLower = frame.lip('lower', along) - depth;
    const top = height * Math.sqrt(Math.max(0, 1 - (along / reach) ** 2));
    const weight = tongue * Math.min(1, Math.max(0, (top - aboveLower) / edge)) * Math.min(1, Math.max(0, aboveLower / seam));
    if (weight === 0) return colour;
    const sideways = (along / reach) ** 2;
    const light = (TONGUE_FRONT + (TONGUE_BACK - TONGUE_FRONT) * Math.min(1, Math.max(0, aboveLower / (top || 1)))) * (1 - TONGUE_SIDES * sideways);
    return colour.map((v, k) => v + weight * (tongueColour[k] * light - v));
  };
}
