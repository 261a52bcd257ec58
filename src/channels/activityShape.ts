import { z } from 'zod';

/**
 * A string of `min` to `max` characters, its type checked first: zod's own
 * length checks also run on a value that is not a string, read its `length`,
 * and throw on one that cannot be compared (`{"length":{"toString":null}}`),
 * a server error for every field checked that way (found by the fuzz tests).
 */
const bounded = (max: number, min = 0) => z.string().pipe(z.string().min(min).max(max));
// (An array's length check has the same flaw: arrays below are bounded by a refinement, which runs only on an array.)

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const wellFormed = (max: number, min = 0) => bounded(max, min).refine((s) => !LONE_SURROGATE.test(s), 'must be well-formed Unicode');

/** Ids that go into the connector's URLs and headers (x-ms-conversation-id): printable ASCII, as every channel's are. */
const headerSafeId = (max: number, min = 0) => bounded(max, min).refine((s) => /^[\x20-\x7e]*$/.test(s), 'must be printable ASCII');

const account = z.looseObject({ id: wellFormed(512), name: bounded(512).optional(), aadObjectId: bounded(128).optional() });

/**
 * What /api/messages takes before botbuilder sees it (the fuzz tests found
 * each rule): every field the bot reads, or echoes back in its replies (where
 * the connector client serialises them and puts the ids in URLs and headers),
 * typed, its type checked before its length; ids printable ASCII or at least
 * well-formed Unicode. Anything else is 400.
 */
export const activityShape = z.looseObject({
  type: bounded(64, 1),
  id: headerSafeId(256).optional(),
  channelId: bounded(64, 1),
  serviceUrl: bounded(2048).optional(),
  from: account.extend({ id: wellFormed(512, 1) }),
  recipient: account.optional(),
  conversation: z.looseObject({
    id: headerSafeId(1024, 1),
    tenantId: bounded(128).optional(),
    conversationType: bounded(64).optional(),
    name: bounded(512).optional(),
    isGroup: z.boolean().optional(),
  }),
  replyToId: headerSafeId(256).optional(),
  membersAdded: z
    .array(account)
    .refine((members) => members.length <= 100)
    .optional(),
  membersRemoved: z
    .array(account)
    .refine((members) => members.length <= 100)
    .optional(),
  locale: bounded(64).optional(),
  text: bounded(28_000).optional(),
});
