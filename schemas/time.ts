import { z } from 'zod';
import { DURATION_PATTERN } from '../engine/time/duration';

/*
 * The time values authors and admins write, one schema each for playbooks, the contact policy and
 * the seasonal calendar, so a duration or a clock time is accepted, and refused with the same
 * words, wherever it appears. engine/time/duration.ts reads durations; this only checks them.
 */

const DURATION_MESSAGE = 'expected a duration such as 90s, 15m, 1h, 2d or 1w';

/** A whole number and a unit: `90s`, `15m`, `1h`, `2d`, `1w` (or `ms`). */
export const Duration = z
  .string()
  .regex(DURATION_PATTERN, DURATION_MESSAGE)
  .meta({
    examples: ['15m', '1h', '2d', '1w'],
    // yaml-language-server and ajv-errors show this instead of "does not match the pattern".
    errorMessage: `${DURATION_MESSAGE} (a whole number, then ms, s, m, h, d or w)`,
  });

const CLOCK_TIME_PATTERN = /^([01]\d|2[0-3]):[0-5]\d$/;

/**
 * A 24-hour wall-clock time, `HH:MM`. The message's example is the caller's, so it reads as a time
 * that fits the field: a shop opening at 09:00, quiet hours from 21:00, a moment sent at 08:00.
 */
export const clockTime = (example: string) =>
  z
    .string()
    .regex(CLOCK_TIME_PATTERN, `expected a 24-hour time such as ${example}`)
    .meta({ examples: ['09:00', '18:30'] });
