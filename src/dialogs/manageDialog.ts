import type { DialogContext } from 'botbuilder-dialogs';
import { type Language, t } from '../kit/texts';
import { defaultSignIn, kindInSentence, kindLabel, methodDetail, signInLabel } from '../presentation/labels';
import { MFA_KINDS, SSPR_KINDS } from '../verification/policy';
import type { MethodKind, PhoneVariant, SecurityInfoProfile } from '../verification/profile';
import { isPhoneMethod } from '../verification/profile';
import { CardFlowDialog, type FlowTurn, type Screen, type Transition } from './cardFlowDialog';
import { type DialogDeps, isStepUpResult, STEP_UP_DIALOG, stepUpFirst } from './deps';
import { METHOD_DIALOGS } from './methodDialogs';
import { isMethodResult, type MethodDialogOptions } from './methodResult';

export const MANAGE_DIALOG = 'manage';

interface ManageData {
  /** The method the person asked to delete, waiting for their confirmation. */
  deleting?: string;
  /** The kind being added or changed, and how: for the notice once it is done. */
  working?: { kind: MethodKind; change: 'added' | 'changed' };
  /** What the person chose before they were asked to prove it's them (step-up). */
  afterStepUp?: { action: OverviewAction; methodId?: string };
}

type OverviewAction = 'add' | 'change' | 'delete' | 'changeDefault';

/** Kinds whose details can be changed (a new number or address, proven again); the rest are deleted and added. */
const CHANGEABLE: readonly MethodKind[] = ['phone', 'alternatePhone', 'officePhone', 'email', 'securityQuestions'];

/** The notice of a change, shown where it was made (the same change is also sent by text or email: delivery/messages.ts). */
export function changeNotice(language: Language, what: string): string {
  return t(language, 'manage.changeNotice', { what });
}

/**
 * Manage mode: the methods (masked), the default, whether the policy is met
 * for sign-in and for password reset; add, change, delete, change the default.
 */
export class ManageDialog extends CardFlowDialog<ManageData> {
  protected readonly firstScreen = 'overview';

  protected readonly screens: Record<string, Screen<ManageData>> = {
    overview: {
      show: (turn) => ({ card: 'manage', data: this.overview(this.deps.profile(turn.context), turn.language) }),
      on: {
        add: (turn) => this.afterProof(turn, 'add'),
        change: (turn, reply) => this.afterProof(turn, 'change', reply.values.methodId),
        delete: (turn, reply) => this.afterProof(turn, 'delete', reply.values.methodId),
        changeDefault: (turn) => this.afterProof(turn, 'changeDefault'),
        done: (turn) => ({ end: { done: true }, say: turn.t('manage.done') }),
      },
    },
    add: {
      show: (turn) => {
        const profile = this.deps.profile(turn.context);
        return {
          card: 'chooseMethod',
          data: {
            orgName: this.deps.orgName,
            steps: [],
            heading: turn.t('manage.addHeading'),
            choices: this.deps.service.addableMethods(profile).map((kind) => ({ title: kindLabel(kind, turn.language), value: kind })),
          },
          textAction: 'choose',
        };
      },
      on: {
        choose: (turn, reply) => {
          const kind = this.deps.service.addableMethods(this.deps.profile(turn.context)).find((k) => k === reply.values.method);
          if (!kind) return { say: turn.t('dialogs.chooseFromList') };
          turn.data.working = { kind, change: 'added' };
          return this.beginMethod(kind);
        },
      },
    },
    confirmDelete: {
      show: (turn) => {
        const check = this.deps.service.checkDeletion(this.deps.profile(turn.context), turn.data.deleting ?? '');
        const language = turn.language;
        if (!check.allowed) {
          return {
            card: 'confirmDelete',
            data: { label: turn.t('manage.aMethod'), detail: '', consequences: [], usage: turn.t('manage.usage.signIn') },
          };
        }
        const consequences: string[] = [];
        if (check.newDefault) consequences.push(turn.t('manage.newDefault', { method: signInLabel(check.newDefault, language) }));
        if (check.breaksMfa) consequences.push(turn.t('manage.breaksMfa'));
        if (check.breaksSspr) consequences.push(turn.t('manage.breaksSspr'));
        const usage = MFA_KINDS.includes(check.method.kind) ? (SSPR_KINDS.includes(check.method.kind) ? 'both' : 'signIn') : 'reset';
        return {
          card: 'confirmDelete',
          data: {
            label: kindLabel(check.method.kind, language),
            detail: methodDetail(check.method, language),
            consequences,
            usage: turn.t(`manage.usage.${usage}`),
          },
        };
      },
      on: {
        confirm: async (turn) => {
          const profile = this.deps.profile(turn.context);
          const result = await this.deps.service.deleteMethod(profile, turn.data.deleting ?? '', this.deps.via(turn.context));
          if (!result.allowed && result.reason === 'stepUpRequired') {
            turn.data.afterStepUp = { action: 'delete', methodId: turn.data.deleting };
            return stepUpFirst(turn.language);
          }
          turn.data.deleting = undefined;
          if (!result.allowed) return { back: true, say: turn.t('manage.notDeleted') };
          return { back: true, say: changeNotice(turn.language, this.changed(turn.language, result.method.kind, 'removed')) };
        },
      },
    },
    changeDefault: {
      show: (turn) => {
        const profile = this.deps.profile(turn.context);
        const current = this.deps.service.defaultMethod(profile);
        return {
          card: 'changeDefault',
          data: {
            current: current ? `${current.id}:${isPhoneMethod(current) ? this.deps.service.defaultVariant(profile) : 'code'}` : '',
            options: this.defaultOptions(profile, turn.language),
          },
          textAction: 'save',
        };
      },
      on: {
        save: async (turn, reply) => {
          const [methodId = '', variant] = (reply.values.option ?? '').split(':');
          const profile = this.deps.profile(turn.context);
          const result = await this.deps.service.setDefaultMethod(
            profile,
            methodId,
            variant === 'text' || variant === 'call' ? (variant as PhoneVariant) : undefined,
            this.deps.via(turn.context),
          );
          if (result.status === 'stepUpRequired') return stepUpFirst(turn.language);
          if (result.status !== 'changed') return { say: turn.t('dialogs.chooseFromList') };
          return {
            back: true,
            say: changeNotice(
              turn.language,
              turn.t('manage.defaultNow', { method: defaultSignIn(this.deps.service, profile, turn.language) }),
            ),
          };
        },
      },
    },
  };

  constructor(deps: DialogDeps) {
    super(MANAGE_DIALOG, deps);
  }

  protected initialData(_dc: DialogContext): ManageData {
    return {};
  }

  protected override onChildResult(turn: FlowTurn<ManageData>, result: unknown): Transition {
    const after = turn.data.afterStepUp;
    turn.data.afterStepUp = undefined;
    if (isStepUpResult(result)) return result.proven && after ? this.act(turn, after.action, after.methodId) : { again: true };
    // Back from a method's first screen returns to where it was chosen; anything else to the overview.
    if (isMethodResult(result) && 'back' in result) return { again: true };
    const registered = isMethodResult(result) && 'registered' in result;
    const working = turn.data.working;
    turn.data.working = undefined;
    const say = registered && working ? changeNotice(turn.language, this.changed(turn.language, working.kind, working.change)) : undefined;
    return turn.screen === 'overview' ? { again: true, say } : { back: true, say };
  }

  /** "alternate phone added", as a change notice names it. */
  private changed(language: Language, kind: MethodKind, what: 'added' | 'changed' | 'removed'): string {
    return t(language, `manage.changed.${what}`, { method: kindInSentence(kind, language) });
  }

  private overview(profile: SecurityInfoProfile, language: Language) {
    const service = this.deps.service;
    const status = service.policyStatus(profile);
    return {
      orgName: this.deps.orgName,
      heading: t(language, service.isComplete(profile) ? 'manage.headingComplete' : 'manage.heading'),
      defaultMethod: defaultSignIn(service, profile, language),
      mfaStatus: status.mfa.met
        ? t(language, 'manage.met')
        : t(language, 'manage.stillNeeds', { methods: status.mfa.missing.map((kind) => kindLabel(kind, language)).join(', ') }),
      ssprStatus: status.sspr.met
        ? t(language, 'manage.met')
        : t(language, 'manage.needsMore', { count: status.sspr.need - status.sspr.have }),
      methods: profile.methods.map((m) => ({
        id: m.id,
        label: kindLabel(m.kind, language),
        detail: methodDetail(m, language),
        canChange: CHANGEABLE.includes(m.kind),
      })),
    };
  }

  /** The service's sign-in options, as the card lists them. */
  private defaultOptions(profile: SecurityInfoProfile, language: Language): Array<{ title: string; value: string }> {
    return this.deps.service
      .signInOptions(profile)
      .map(({ method, variant }) => ({ title: signInLabel(method, language, variant), value: `${method.id}:${variant ?? 'code'}` }));
  }

  /** Any change needs a fresh proof of a method the person has (the service's step-up): asked for first, then done. */
  private afterProof(turn: FlowTurn<ManageData>, action: OverviewAction, methodId?: string): Transition {
    if (!this.deps.service.stepUpRequired(this.deps.profile(turn.context))) return this.act(turn, action, methodId);
    turn.data.afterStepUp = { action, methodId };
    return { begin: STEP_UP_DIALOG };
  }

  private act(turn: FlowTurn<ManageData>, action: OverviewAction, methodId?: string): Transition {
    switch (action) {
      case 'add':
        return { go: 'add' };
      case 'change':
        return this.change(turn, methodId);
      case 'delete':
        return this.askToDelete(turn, methodId);
      case 'changeDefault':
        return this.defaultOptions(this.deps.profile(turn.context), turn.language).length > 0
          ? { go: 'changeDefault' }
          : { say: turn.t('manage.noDefaultOptions') };
    }
  }

  private change(turn: FlowTurn<ManageData>, methodId: string | undefined): Transition {
    const method = this.deps.profile(turn.context).methods.find((m) => m.id === methodId);
    if (!method || !CHANGEABLE.includes(method.kind)) return { again: true, say: turn.t('manage.cannotChange') };
    turn.data.working = { kind: method.kind, change: 'changed' };
    return this.beginMethod(method.kind, method.id);
  }

  private askToDelete(turn: FlowTurn<ManageData>, methodId: string | undefined): Transition {
    const check = this.deps.service.checkDeletion(this.deps.profile(turn.context), methodId ?? '');
    if (!check.allowed) {
      if (check.reason === 'lastRequiredMfa' && check.kind) {
        return {
          say: turn.t('manage.onlyOne', { method: kindInSentence(check.kind, turn.language) }),
        };
      }
      return { again: true, say: turn.t('manage.noLongerRegistered') };
    }
    turn.data.deleting = check.method.id;
    return { go: 'confirmDelete' };
  }

  private beginMethod(kind: MethodKind, replaces?: string): Transition {
    const options: MethodDialogOptions = { progress: [], kind, replaces };
    return { begin: METHOD_DIALOGS[kind], options };
  }
}
