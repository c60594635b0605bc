import { uuidv7 } from 'uuidv7';

/** A new primary key: UUIDv7, time-ordered, generated in the app. */
export function newId(): string {
  return uuidv7();
}
