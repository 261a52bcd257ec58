import type { DialogContext } from 'botbuilder-dialogs';
import { defaultSignIn, kindLabel, methodDetail, signInLabel } from '../presentation/labels';
import { MFA_KINDS, SSPR_KINDS } from '../verification/policy';
import type { MethodKind, PhoneVariant, SecurityInfoProfile } from '../verification/profile';
import { isPhoneMethod } from '../verification/profile';
import { CardFlowDialog, type FlowTurn, type Screen, type Transition } from './cardFlowDialog';
import { type DialogDeps, isStepUpResult, STEP_UP_DIALOG, STEP_UP_FIRST } from './deps';
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

export function changeNotice(what: string): string {
  return `Your security info changed: ${what}. If this wasn't you, contact your help desk right away.`;
}

/**
 * Manage mode: the methods (masked), the default, whether the policy is met
 * for sign-in and for password reset; add, change, delete, change the default.
 */
export class ManageDialog extends CardFlowDialog<ManageData> {
  protected readonly firstScreen = 'overview';

  protected readonly screens: Record<string, Screen<ManageData>> = {
    overview: {
      show: (turn) => ({ card: 'manage', data: this.overview(this.deps.profile(turn.context)) }),
      on: {
        add: (turn) => this.afterProof(turn, 'add'),
        change: (turn, reply) => this.afterProof(turn, 'change', reply.values.methodId),
        delete: (turn, reply) => this.afterProof(turn, 'delete', reply.values.methodId),
        changeDefault: (turn) => this.afterProof(turn, 'changeDefault'),
        done: () => ({ end: { done: true }, say: 'OK. Say "security info" whenever you want to come back here.' }),
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
            heading: 'Add a method',
            choices: this.deps.service.addableMethods(profile).map((kind) => ({ title: kindLabel(kind), value: kind })),
          },
          textAction: 'choose',
        };
      },
      on: {
        choose: (turn, reply) => {
          const kind = this.deps.service.addableMethods(this.deps.profile(turn.context)).find((k) => k === reply.values.method);
          if (!kind) return { say: 'Choose one of the methods in the list.' };
          turn.data.working = { kind, change: 'added' };
          return this.beginMethod(kind);
        },
      },
    },
    confirmDelete: {
      show: (turn) => {
        const check = this.deps.service.checkDeletion(this.deps.profile(turn.context), turn.data.deleting ?? '');
        if (!check.allowed) return { card: 'confirmDelete', data: { label: 'method', detail: '', consequences: [], usage: 'sign in' } };
        const consequences: string[] = [];
        if (check.newDefault) consequences.push(`Your default sign-in method will become ${signInLabel(check.newDefault)}.`);
        if (check.breaksMfa) consequences.push("You will no longer meet your organization's requirements for signing in.");
        if (check.breaksSspr) consequences.push('You will no longer have enough methods to reset your password.');
        const usage = MFA_KINDS.includes(check.method.kind)
          ? SSPR_KINDS.includes(check.method.kind)
            ? 'sign in or reset your password'
            : 'sign in'
          : 'reset your password';
        return {
          card: 'confirmDelete',
          data: { label: kindLabel(check.method.kind), detail: methodDetail(check.method), consequences, usage },
        };
      },
      on: {
        confirm: async (turn) => {
          const profile = this.deps.profile(turn.context);
          const result = await this.deps.service.deleteMethod(profile, turn.data.deleting ?? '', this.deps.via(turn.context));
          if (!result.allowed && result.reason === 'stepUpRequired') {
            turn.data.afterStepUp = { action: 'delete', methodId: turn.data.deleting };
            return STEP_UP_FIRST;
          }
          turn.data.deleting = undefined;
          if (!result.allowed) return { back: true, say: 'That method could not be deleted.' };
          return { back: true, say: changeNotice(`${kindLabel(result.method.kind).toLowerCase()} deleted`) };
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
            options: this.defaultOptions(profile),
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
          if (result.status === 'stepUpRequired') return STEP_UP_FIRST;
          if (result.status !== 'changed') return { say: 'Choose one of the methods in the list.' };
          return { back: true, say: changeNotice(`default sign-in method is now ${defaultSignIn(this.deps.service, profile)}`) };
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
    const say = registered && working ? changeNotice(`${kindLabel(working.kind).toLowerCase()} ${working.change}`) : undefined;
    return turn.screen === 'overview' ? { again: true, say } : { back: true, say };
  }

  private overview(profile: SecurityInfoProfile) {
    const service = this.deps.service;
    const status = service.policyStatus(profile);
    return {
      orgName: this.deps.orgName,
      heading: service.isComplete(profile) ? 'Your security info is set up' : 'Your security info',
      defaultMethod: defaultSignIn(service, profile),
      mfaStatus: status.mfa.met ? 'meets the requirements' : `still needs: ${status.mfa.missing.map(kindLabel).join(', ')}`,
      ssprStatus: status.sspr.met
        ? 'meets the requirements'
        : `needs ${status.sspr.need - status.sspr.have} more method${status.sspr.need - status.sspr.have === 1 ? '' : 's'}`,
      methods: profile.methods.map((m) => ({
        id: m.id,
        label: kindLabel(m.kind),
        detail: methodDetail(m),
        canChange: CHANGEABLE.includes(m.kind),
      })),
    };
  }

  /** The service's sign-in options, as the card lists them. */
  private defaultOptions(profile: SecurityInfoProfile): Array<{ title: string; value: string }> {
    return this.deps.service
      .signInOptions(profile)
      .map(({ method, variant }) => ({ title: signInLabel(method, variant), value: `${method.id}:${variant ?? 'code'}` }));
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
        return this.defaultOptions(this.deps.profile(turn.context)).length > 0
          ? { go: 'changeDefault' }
          : { say: 'Add an authenticator app or a phone first: only those can be a default sign-in method.' };
    }
  }

  private change(turn: FlowTurn<ManageData>, methodId: string | undefined): Transition {
    const method = this.deps.profile(turn.context).methods.find((m) => m.id === methodId);
    if (!method || !CHANGEABLE.includes(method.kind))
      return { again: true, say: 'That method cannot be changed; delete it and add a new one.' };
    turn.data.working = { kind: method.kind, change: 'changed' };
    return this.beginMethod(method.kind, method.id);
  }

  private askToDelete(turn: FlowTurn<ManageData>, methodId: string | undefined): Transition {
    const check = this.deps.service.checkDeletion(this.deps.profile(turn.context), methodId ?? '');
    if (!check.allowed) {
      if (check.reason === 'lastRequiredMfa' && check.kind) {
        return {
          say: `You can't delete your only ${kindLabel(check.kind).toLowerCase()}: your organization requires one to sign in. Add another one first, then delete this one.`,
        };
      }
      return { again: true, say: 'That method is no longer registered.' };
    }
    turn.data.deleting = check.method.id;
    return { go: 'confirmDelete' };
  }

  private beginMethod(kind: MethodKind, replaces?: string): Transition {
    const options: MethodDialogOptions = { progress: [], kind, replaces };
    return { begin: METHOD_DIALOGS[kind], options };
  }
}
