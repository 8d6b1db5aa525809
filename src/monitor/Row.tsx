// One line of the screen from coloured segments, cut at the terminal's width (never wrapped).
import { Text } from 'ink';

export interface Seg {
  text: string;
  color?: string;
  bold?: boolean;
}

/** `dim`: the data is old (the bus is down): greyed, colours kept. */
export function Row({ segs, dim = false }: { segs: readonly Seg[]; dim?: boolean }) {
  return (
    <Text wrap="truncate-end" dimColor={dim}>
      {segs.map((s, i) => (
        <Text key={i} {...(s.color ? { color: s.color } : {})} bold={s.bold === true} dimColor={dim}>
          {s.text}
        </Text>
      ))}
    </Text>
  );
}

/** Cells joined by one space. */
export function joinCells(segs: readonly Seg[]): Seg[] {
  return segs.flatMap((s, i) => (i === 0 ? [s] : [{ text: ' ' }, s]));
}
