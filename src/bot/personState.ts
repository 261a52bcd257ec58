import { createHash } from 'node:crypto';
import type { ConversationReference, StatePropertyAccessor, TurnContext } from 'botbuilder';
import type { DialogState } from 'botbuilder-dialogs';
import { AppError, PreconditionFailedError } from '../errors';
import type { DocumentStore } from '../storage/store';
import type { SecurityInfoProfile } from '../verification/profile';

/**
 * Everything about one person that a turn needs, in one document: their
 * security-info profile, their dialog stack per channel, and where to reach
 * them proactively. A personal chat or an SMS thread belongs to one person, so
 * a turn costs one read at its start and at most one conditional write at its
 * end (DESIGN §7), instead of botbuilder's usual three reads and three writes.
 */
export interface PersonDocument {
  profile?: SecurityInfoProfile;
  dialogs: Record<string, DialogState>;
  conversations: Record<string, Partial<ConversationReference>>;
}

interface Loaded {
  readonly id: string;
  readonly doc: PersonDocument;
  etag?: string;
  hash: string;
}

const LOADED = Symbol('personState');

/** Documents written before a field existed read as if it were empty. */
function normalise(stored: Partial<PersonDocument> | undefined): PersonDocument {
  return { ...stored, dialogs: stored?.dialogs ?? {}, conversations: stored?.conversations ?? {} };
}

function hashOf(doc: PersonDocument): string {
  return createHash('sha256').update(JSON.stringify(doc)).digest('base64');
}

/**
 * Loads and saves the {@link PersonDocument} of a turn. Saves are conditional
 * on the etag read, so two turns racing for one person cannot both win: the
 * loser fails with a PreconditionFailedError and nothing of it is written.
 */
export class PersonState {
  constructor(private readonly store: DocumentStore) {
    if (!store) throw new Error('PersonState needs a store');
  }

  async load(context: TurnContext, personId: string): Promise<PersonDocument> {
    const existing = context.turnState.get(LOADED) as Loaded | undefined;
    if (existing?.id === personId) return existing.doc;
    const stored = await this.store.get<PersonDocument>('state', personId);
    const doc = normalise(stored?.value);
    context.turnState.set(LOADED, { id: personId, doc, etag: stored?.etag, hash: hashOf(doc) } satisfies Loaded);
    return doc;
  }

  /** The document of this turn; `load` must have run. */
  get(context: TurnContext): PersonDocument {
    return this.loaded(context).doc;
  }

  /** Writes the document if the turn changed it. */
  async save(context: TurnContext): Promise<void> {
    const loaded = context.turnState.get(LOADED) as Loaded | undefined;
    if (!loaded) return;
    const hash = hashOf(loaded.doc);
    if (hash === loaded.hash) return;
    loaded.etag = await this.store.put('state', loaded.id, loaded.doc, loaded.etag ? { ifMatch: loaded.etag } : { ifNoneMatch: '*' });
    loaded.hash = hash;
  }

  /**
   * Changes a person's document outside a turn (a webhook): read, change,
   * write conditionally; re-read and retry when a turn wrote in between.
   * A change that returns undefined did nothing and is not written.
   * Returns undefined when the person has no document.
   */
  async update<T>(
    personId: string,
    change: (doc: PersonDocument) => Promise<T | undefined> | T | undefined,
  ): Promise<{ result: T | undefined; doc: PersonDocument } | undefined> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const stored = await this.store.get<PersonDocument>('state', personId);
      if (!stored) return undefined;
      const doc = normalise(stored.value);
      const result = await change(doc);
      // Nothing changed: nothing to write.
      if (result === undefined) return { result, doc };
      try {
        await this.store.put('state', personId, doc, { ifMatch: stored.etag });
        return { result, doc };
      } catch (err) {
        if (!(err instanceof PreconditionFailedError)) throw err;
      }
    }
    throw new AppError('state_contended', 'the person document stayed contended');
  }

  /** The dialog stack of the turn's channel, as botbuilder's DialogSet wants it. */
  dialogStateAccessor(): StatePropertyAccessor<DialogState> {
    const doc = (context: TurnContext) => this.loaded(context).doc;
    return {
      get: async (context: TurnContext, defaultValue?: DialogState) => {
        const dialogs = doc(context).dialogs;
        const channel = context.activity.channelId;
        if (!dialogs[channel] && defaultValue) dialogs[channel] = defaultValue;
        return dialogs[channel] as DialogState;
      },
      set: async (context, value) => {
        doc(context).dialogs[context.activity.channelId] = value;
      },
      delete: async (context) => {
        delete doc(context).dialogs[context.activity.channelId];
      },
    };
  }

  private loaded(context: TurnContext): Loaded {
    const loaded = context.turnState.get(LOADED) as Loaded | undefined;
    if (!loaded) throw new Error('PersonState.load has not run in this turn');
    return loaded;
  }
}
