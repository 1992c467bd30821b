/** `tz_offset` (seconds east of UTC) and `tz_label` as Slack reports them, from the IANA zone. */
export function describeTimeZone(timeZone: string, atMs: number): { offsetSeconds: number; label: string } {
  const at = new Date(atMs);
  const part = (style: 'longOffset' | 'long') =>
    new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: style })
      .formatToParts(at)
      .find((p) => p.type === 'timeZoneName')?.value ?? '';
  const match = /GMT([+-])(\d{2}):(\d{2})/.exec(part('longOffset'));
  const offsetSeconds = match
    ? (match[1] === '-' ? -1 : 1) * (Number(match[2]) * 3600 + Number(match[3]) * 60)
    : 0;
  return { offsetSeconds, label: part('long') };
}
