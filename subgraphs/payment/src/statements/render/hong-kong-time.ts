/** Hong Kong's zone, in which the PDF shows every instant (the CSV stays in UTC). */
export const HONG_KONG_TIME_ZONE = 'Asia/Hong_Kong';

// One formatter for the process: building an Intl.DateTimeFormat costs far more than using one.
const formatter = new Intl.DateTimeFormat('en-GB', {
  timeZone: HONG_KONG_TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

/** "2026-01-05 14:03:12", the wall-clock time in Hong Kong at that instant. */
export function hongKongTime(instant: Date): string {
  const part: Partial<Record<Intl.DateTimeFormatPartTypes, string>> = {};
  for (const { type, value } of formatter.formatToParts(instant)) part[type] = value;
  return `${part.year}-${part.month}-${part.day} ${part.hour}:${part.minute}:${part.second}`;
}
