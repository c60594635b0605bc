import { z } from 'zod';

export const Uuid = z.uuid();
export const IsoDateTime = z.iso.datetime({ offset: true });
/**
 * A calendar date (YYYY-MM-DD) in the years 1900-2199: no hospital date lies outside, and a year like 9999
 * would overflow date arithmetic (the next day of 9999-12-31 has five digits).
 */
export const IsoDay = z.iso
  .date()
  .refine((d) => d >= '1900-01-01' && d <= '2199-12-31', 'a date between 1900-01-01 and 2199-12-31');

/**
 * RFC 9457 problem details, the body of every error. Extension members are allowed (e.g. `candidates` of a
 * possible duplicate at registration), so the schema keeps unknown keys.
 */
export const Problem = z
  .looseObject({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    instance: z.string().optional(),
    code: z.string().optional(),
    requestId: z.string().optional(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  })
  .meta({ id: 'Problem' });
export type Problem = z.infer<typeof Problem>;

/** Keyset pagination: pass back nextCursor as cursor to get the next page. */
export const PageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(500).optional(),
});
export type PageQuery = z.infer<typeof PageQuery>;

export const page = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable() });

export const IdParams = z.object({ id: Uuid });

/** A trimmed, non-empty line of text of at most max characters. */
export const Text = (max = 200) => z.string().trim().min(1).max(max);
