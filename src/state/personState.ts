import type { ConversationReference, StatePropertyAccessor, TurnContext } from 'botbuilder';
import type { DialogState } from 'botbuilder-dialogs';
import { AppError, PreconditionFailedError } from '../kit/errors';
import { DEFAULT_LANGUAGE, type Language, languageOfLocale } from '../kit/texts';
import { setTurnLanguage } from '../kit/turnLanguage';
import type { Aliases } from '../storage/aliases';
import type { DocumentStore } from '../storage/store';
import { isTextablePhone, type SecurityInfoProfile } from '../verification/profile';

/**
 * Everything about one person that a turn needs, in one document: their
 * security-info profile, their dialog stack per channel, and where to reach
 * them proactively. A personal chat or an SMS thread belongs to one person, so
 * a turn costs one read at its start and at most one conditional write at its
 * end (docs/design.md §7), instead of botbuilder's usual three reads and three writes.
 */
export interface PersonDocument {
  profile?: SecurityInfoProfile;
  dialogs: Record<string, DialogState>;
  conversations: Record<string, Partial<ConversationReference>>;
  /** This person's document is now another one (first met by SMS, then in Teams). */
  movedTo?: string;
  /** The last steps of their conversations, for the help desk: screens, the bot's words, the actions chosen. Never what was typed. */
  journal?: JournalEntry[];
  /** The ids of the last activities a turn was run for, per channel: a repeated delivery is recognised and done once. */
  delivered?: Record<string, string[]>;
  /**
   * The phones the aliases pointed at before a change of phones was saved, until
   * the aliases are pointed at the new ones: a relinking cut short (the store
   * failed after the document was saved) is done by the next save.
   */
  aliasesFrom?: string[];
  /** Their language (docs/i18n.md): first from their client's locale or their first text, changed when they ask. Absent: the default. */
  language?: Language;
  /** Where `language` came from: a locale is a first guess, which what they write may correct; their words and their choice stand. */
  languageFrom?: LanguageSource;
  /** Their help-desk ticket, while it is open; `live` once an agent claimed it (messages are relayed). */
  helpDesk?: { ticketId: string; live: boolean };
}

export interface JournalEntry {
  readonly at: number;
  readonly from: 'person' | 'bot';
  readonly text: string;
}

/** How many steps the journal keeps. */
const JOURNAL_LENGTH = 20;
/** How many activity ids per channel are remembered against repeated deliveries. */
const DELIVERED_LENGTH = 8;

interface Loaded {
  readonly id: string;
  readonly doc: PersonDocument;
  etag?: string;
  /** The document as read (JSON), to tell whether the turn changed it. */
  json: string;
  /** What the aliases point at for this document as stored. */
  linked: Links;
  /** The document this one took the profile of, retired after the save. */
  adoptedFrom?: string;
  /** A UPN Teams vouched for, to point at this document after the save. */
  upn?: string;
}

/** The phone numbers (that can text) by which a document is found. */
interface Links {
  readonly phones: readonly string[];
}

function samePhones(a: Links, b: Links): boolean {
  return a.phones.length === b.phones.length && a.phones.every((phone) => b.phones.includes(phone));
}

function linksOf(doc: PersonDocument): Links {
  const methods = doc.profile?.methods ?? [];
  return { phones: methods.filter(isTextablePhone).map((m) => m.e164) };
}

const LOADED = Symbol('personState');

/** The language of the turn's person (the default before their document is read). */
export function languageOf(context: TurnContext): Language {
  // Before the document is read (a turn sent away as busy) or before anything settled it: the client's locale.
  return (
    (context.turnState.get(LOADED) as Loaded | undefined)?.doc.language ?? languageOfLocale(context.activity.locale) ?? DEFAULT_LANGUAGE
  );
}

/** How a person's language was found: their client's locale, what they wrote, or they asked for it. */
export type LanguageSource = 'locale' | 'text' | 'asked';

/**
 * Sets the person's language: kept in their document, and followed by
 * everything the turn says or sends from now on. A locale only sets a
 * language nothing set before.
 */
export function chooseLanguage(context: TurnContext, language: Language, from: LanguageSource): void {
  const loaded = context.turnState.get(LOADED) as Loaded | undefined;
  if (!loaded || (from === 'locale' && loaded.doc.languageFrom)) return;
  loaded.doc.language = language;
  loaded.doc.languageFrom = from;
  setTurnLanguage(language);
}

/** Whether the person's language was said or written by them (a locale is only a first guess). */
export function languageSettled(context: TurnContext): boolean {
  const from = (context.turnState.get(LOADED) as Loaded | undefined)?.doc.languageFrom;
  return from === 'text' || from === 'asked';
}

/** Documents written before a field existed read as if it were empty. */
function normalise(stored: Partial<PersonDocument> | undefined): PersonDocument {
  return { ...stored, dialogs: stored?.dialogs ?? {}, conversations: stored?.conversations ?? {} };
}

/**
 * Loads and saves the {@link PersonDocument} of a turn. Saves are conditional
 * on the etag read, so two turns racing for one person cannot both win: the
 * loser fails with a PreconditionFailedError and nothing of it is written.
 */
export class PersonState {
  constructor(
    private readonly store: DocumentStore,
    private readonly aliases: Aliases,
  ) {
    if (!store || !aliases) throw new Error('PersonState needs a store and aliases');
  }

  async load(context: TurnContext, personId: string): Promise<PersonDocument> {
    const existing = context.turnState.get(LOADED) as Loaded | undefined;
    if (existing?.id === personId) return existing.doc;
    const stored = await this.store.get<PersonDocument>('state', personId);
    const doc = normalise(stored?.value);
    setTurnLanguage(doc.language ?? DEFAULT_LANGUAGE);
    context.turnState.set(LOADED, {
      id: personId,
      doc,
      etag: stored?.etag,
      json: JSON.stringify(doc),
      linked: doc.aliasesFrom ? { phones: doc.aliasesFrom } : linksOf(doc),
    } satisfies Loaded);
    return doc;
  }

  /**
   * Takes over the profile of the person's other document (met by SMS before
   * Teams), so both channels see one security info. The other document is
   * retired, pointing here, once this turn is saved.
   */
  /** Adds a step to the person's journal (the help desk reads the last ones). */
  note(context: TurnContext, entry: JournalEntry): void {
    const doc = this.loaded(context).doc;
    doc.journal = [...(doc.journal ?? []), { ...entry, text: entry.text.slice(0, 300) }].slice(-JOURNAL_LENGTH);
  }

  /** Makes `upn` find this person's document (Teams vouched for it), once the turn is saved. */
  linkUpn(context: TurnContext, upn: string): void {
    this.loaded(context).upn = upn;
  }

  async adopt(context: TurnContext, fromId: string): Promise<boolean> {
    const loaded = this.loaded(context);
    const from = (await this.store.get<PersonDocument>('state', fromId))?.value;
    if (fromId === loaded.id || !from?.profile || from.movedTo) return false;
    loaded.doc.profile = from.profile;
    loaded.doc.conversations = { ...from.conversations, ...loaded.doc.conversations };
    loaded.doc.dialogs = { ...from.dialogs, ...loaded.doc.dialogs };
    loaded.doc.journal = [...(from.journal ?? []), ...(loaded.doc.journal ?? [])];
    loaded.doc.helpDesk ??= from.helpDesk;
    loaded.adoptedFrom = fromId;
    return true;
  }

  /** The key of this turn's document. */
  idOf(context: TurnContext): string {
    return this.loaded(context).id;
  }

  /** A person's document outside a turn, as stored. */
  async read(personId: string): Promise<PersonDocument | undefined> {
    const stored = await this.store.get<PersonDocument>('state', personId);
    if (stored?.value.movedTo) return this.read(stored.value.movedTo);
    return stored ? normalise(stored.value) : undefined;
  }

  /** The document of this turn; `load` must have run. */
  get(context: TurnContext): PersonDocument {
    return this.loaded(context).doc;
  }

  /** Writes the document if the turn changed it. */
  async save(context: TurnContext): Promise<void> {
    const loaded = context.turnState.get(LOADED) as Loaded | undefined;
    if (!loaded) return;
    const relinking = !samePhones(loaded.linked, linksOf(loaded.doc));
    // Saved with the change, until the aliases follow it.
    if (relinking) loaded.doc.aliasesFrom = [...loaded.linked.phones];
    const json = JSON.stringify(loaded.doc);
    if (json === loaded.json) return;
    loaded.etag = await this.store.put('state', loaded.id, loaded.doc, loaded.etag ? { ifMatch: loaded.etag } : { ifNoneMatch: '*' });
    loaded.json = json;
    if (loaded.adoptedFrom) {
      const from = loaded.adoptedFrom;
      loaded.adoptedFrom = undefined;
      await this.store.put('state', from, { dialogs: {}, conversations: {}, movedTo: loaded.id } satisfies PersonDocument);
      for (const phone of linksOf(loaded.doc).phones) await this.aliases.unlinkPhone(phone, from);
    }
    loaded.linked = await this.relink(loaded.id, loaded.linked, loaded.doc);
    if (relinking) await this.relinked(loaded);
    if (loaded.upn) await this.aliases.linkUpn(loaded.upn, loaded.id);
    loaded.upn = undefined;
  }

  /** The aliases follow the phones now: the marker goes (a turn that wrote since keeps it, and its next save relinks again, harmlessly). */
  private async relinked(loaded: Loaded): Promise<void> {
    delete loaded.doc.aliasesFrom;
    try {
      loaded.etag = await this.store.put('state', loaded.id, loaded.doc, { ifMatch: loaded.etag! });
      loaded.json = JSON.stringify(loaded.doc);
    } catch (err) {
      if (!(err instanceof PreconditionFailedError)) throw err;
    }
  }

  /** Points the aliases at the document's phones as they are now. */
  private async relink(personId: string, before: Links, doc: PersonDocument): Promise<Links> {
    const after = linksOf(doc);
    for (const phone of after.phones) if (!before.phones.includes(phone)) await this.aliases.linkPhone(phone, personId);
    for (const phone of before.phones) if (!after.phones.includes(phone)) await this.aliases.unlinkPhone(phone, personId);
    return after;
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
      // Met by SMS, then in Teams: the person lives in the other document now.
      if (stored.value.movedTo) return this.update(stored.value.movedTo, change);
      const doc = normalise(stored.value);
      const loaded: Loaded = {
        id: personId,
        doc,
        etag: stored.etag,
        json: '',
        linked: doc.aliasesFrom ? { phones: doc.aliasesFrom } : linksOf(doc),
      };
      const result = await change(doc);
      // Nothing changed: nothing to write.
      if (result === undefined) return { result, doc };
      const relinking = !samePhones(loaded.linked, linksOf(doc));
      if (relinking) doc.aliasesFrom = [...loaded.linked.phones];
      try {
        loaded.etag = await this.store.put('state', personId, doc, { ifMatch: stored.etag });
      } catch (err) {
        if (!(err instanceof PreconditionFailedError)) throw err;
        continue;
      }
      if (relinking) {
        await this.relink(personId, loaded.linked, doc);
        await this.relinked(loaded);
      }
      return { result, doc };
    }
    throw new AppError('state_contended', 'the person document stayed contended');
  }

  /**
   * Whether the turn's activity is delivered for the first time; if so, it
   * is remembered in the document (saved with the turn). A repeat arriving
   * while the first is still running loses its save and, run again, sees it.
   */
  firstDelivery(context: TurnContext): boolean {
    const { id, channelId } = context.activity;
    if (!id) return true;
    const doc = this.loaded(context).doc;
    const seen = doc.delivered?.[channelId] ?? [];
    if (seen.includes(id)) return false;
    doc.delivered = { ...doc.delivered, [channelId]: [...seen, id].slice(-DELIVERED_LENGTH) };
    return true;
  }

  /** Forgets the turn's document as loaded: the turn runs again, from what is stored now. */
  forget(context: TurnContext): void {
    context.turnState.delete(LOADED);
  }

  /**
   * A turn's messages go out once its document is saved, so a card whose id
   * the document keeps (to replace it later) was known by a placeholder:
   * written again with the ids the channel gave.
   */
  async renameActivities(context: TurnContext, ids: ReadonlyMap<string, string>): Promise<void> {
    const loaded = this.loaded(context);
    const kept = JSON.stringify(loaded.doc.dialogs);
    // Most turns keep no card's id: nothing to write.
    if (![...ids.keys()].some((placeholder) => kept.includes(JSON.stringify(placeholder)))) return;
    await this.update(loaded.id, (doc) => {
      const before = JSON.stringify(doc.dialogs);
      let after = before;
      for (const [placeholder, id] of ids) after = after.split(JSON.stringify(placeholder)).join(JSON.stringify(id));
      if (after === before) return undefined;
      doc.dialogs = JSON.parse(after);
      return true;
    });
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
