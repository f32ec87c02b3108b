/**
 * Before/after comparison: the result over the original, clipped at a position set by a range input, so the
 * slider works with the keyboard (arrows, Home/End) and is announced by screen readers.
 */
import { useState } from 'preact/hooks';

export function Compare({ before, after, label }: { before: string; after: string; label: string }) {
  const [position, setPosition] = useState(50);
  return (
    <figure class="compare">
      <div class="compare-stage">
        <img src={before} alt={`${label}: before`} />
        <img class="compare-after" src={after} alt={`${label}: after`} style={{ clipPath: `inset(0 ${100 - position}% 0 0)` }} />
        <div class="compare-line" style={{ left: `${position}%` }} aria-hidden="true" />
      </div>
      <label class="compare-control">
        <span>Before / after ({position}% after)</span>
        <input type="range" min={0} max={100} step={1} value={position} onInput={(event) => setPosition(Number((event.target as HTMLInputElement).value))} />
      </label>
      <figcaption>Left of the line: the result; right: the original.</figcaption>
    </figure>
  );
}
