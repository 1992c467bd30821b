import ICAL from 'ical.js';

/** A calendar feed as a calendar app reads it, through ical.js (a real RFC 5545 parser). */
export interface ParsedCalendar {
  properties: Record<string, string>;
  events: ParsedEvent[];
}

export interface ParsedEvent {
  uid: string;
  start: Date;
  end: Date;
  summary: string;
  description: string;
  stamp: Date;
  transparency: string;
}

export function parseIcs(text: string): ParsedCalendar {
  const calendar = new ICAL.Component(ICAL.parse(text));
  const properties: Record<string, string> = {};
  for (const property of calendar.getAllProperties())
    properties[property.name] = String(property.getFirstValue());
  const events = calendar.getAllSubcomponents('vevent').map((component) => {
    const event = new ICAL.Event(component);
    const time = (name: string) => (component.getFirstPropertyValue(name) as ICAL.Time).toJSDate();
    return {
      uid: event.uid,
      start: event.startDate.toJSDate(),
      end: event.endDate.toJSDate(),
      summary: event.summary,
      description: event.description,
      stamp: time('dtstamp'),
      transparency: String(component.getFirstPropertyValue('transp')),
    };
  });
  return { properties, events };
}
