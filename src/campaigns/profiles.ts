import type { Language } from '../kit/texts';
import type { DirectoryEntry } from '../state/directory';
import type { PersonDocument } from '../state/personState';
import type { Aliases } from '../storage/aliases';
import type { DocumentStore } from '../storage/store';
import type { SecurityInfoProfile } from '../verification/profile';

/** Documents a person's may point on to (met by SMS, then in Teams): a chain longer than this is broken. */
const MAX_MOVES = 3;

/**
 * The security info of a directory person, read as the bot keeps it: their
 * document by Entra object id (Teams), else the one their UPN points at.
 * Undefined for someone the bot never met.
 */
export class Profiles {
  constructor(
    private readonly store: DocumentStore,
    private readonly aliases: Pick<Aliases, 'personOfUpn'>,
  ) {}

  async of(entry: Pick<DirectoryEntry, 'upn' | 'aadObjectId'>): Promise<SecurityInfoProfile | undefined> {
    return (await this.documentOf(entry))?.profile;
  }

  /** Their profile, their Teams user id if they chatted with the bot in Teams, and the language they chose there. */
  async person(
    entry: Pick<DirectoryEntry, 'upn' | 'aadObjectId'>,
  ): Promise<{ profile?: SecurityInfoProfile; teamsUserId?: string; language?: Language }> {
    const doc = await this.documentOf(entry);
    return { profile: doc?.profile, teamsUserId: doc?.conversations?.msteams?.user?.id, language: doc?.language };
  }

  private async documentOf(entry: Pick<DirectoryEntry, 'upn' | 'aadObjectId'>): Promise<PersonDocument | undefined> {
    const byObjectId = entry.aadObjectId ? await this.follow(`aad:${entry.aadObjectId}`) : undefined;
    if (byObjectId) return byObjectId;
    const personId = await this.aliases.personOfUpn(entry.upn);
    return personId ? this.follow(personId) : undefined;
  }

  /** Several people at once, in the same order (a dashboard reads hundreds). */
  async ofAll(entries: ReadonlyArray<Pick<DirectoryEntry, 'upn' | 'aadObjectId'>>): Promise<Array<SecurityInfoProfile | undefined>> {
    const out: Array<SecurityInfoProfile | undefined> = [];
    for (let at = 0; at < entries.length; at += 100) {
      out.push(...(await Promise.all(entries.slice(at, at + 100).map((entry) => this.of(entry)))));
    }
    return out;
  }

  private async follow(personId: string): Promise<PersonDocument | undefined> {
    let id: string | undefined = personId;
    for (let move = 0; id && move <= MAX_MOVES; move++) {
      const doc: PersonDocument | undefined = (await this.store.get<PersonDocument>('state', id))?.value;
      if (!doc) return undefined;
      if (!doc.movedTo) return doc.profile ? doc : undefined;
      id = doc.movedTo;
    }
    return undefined;
  }
}
