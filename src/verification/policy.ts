import { z } from 'zod';

/** Every kind of method (docs/design.md §2). */
export const METHOD_KINDS = ['authenticatorApp', 'phone', 'alternatePhone', 'officePhone', 'email', 'securityQuestions'] as const;
export const methodKind = z.enum(METHOD_KINDS);

/** Methods that prove who someone is at sign-in (MFA); the rest serve password reset only. */
export const MFA_KINDS: readonly MethodKind[] = ['authenticatorApp', 'phone', 'alternatePhone', 'officePhone'];
/** Methods password reset (SSPR) accepts (docs/design.md §2: alternate and office phones are for MFA). */
export const SSPR_KINDS: readonly MethodKind[] = ['authenticatorApp', 'phone', 'email', 'securityQuestions'];

export type MethodKind = z.infer<typeof methodKind>;

const rolePolicy = z
  .object({
    /** What the person may register. */
    enabledMethods: z.array(methodKind).min(1),
    /** What the wizard requires, in order (MFA methods only). */
    requiredMethods: z.array(methodKind).default([]),
    /** How many methods password reset needs. */
    ssprMethodsRequired: z.number().int().min(1).max(2).default(1),
    /** How many security questions to register when that method is used. */
    securityQuestionsRequired: z.number().int().min(3).max(5).default(3),
  })
  .strict()
  .superRefine((role, ctx) => {
    role.requiredMethods.forEach((kind, i) => {
      if (!MFA_KINDS.includes(kind)) {
        ctx.addIssue({ code: 'custom', path: ['requiredMethods', i], message: `"${kind}" cannot be required: only MFA methods can` });
      } else if (!role.enabledMethods.includes(kind)) {
        ctx.addIssue({ code: 'custom', path: ['requiredMethods', i], message: `"${kind}" is required but not enabled` });
      }
    });
    const ssprKinds = new Set(role.enabledMethods.filter((k) => SSPR_KINDS.includes(k))).size;
    if (ssprKinds < role.ssprMethodsRequired) {
      ctx.addIssue({
        code: 'custom',
        path: ['ssprMethodsRequired'],
        message: `password reset needs ${role.ssprMethodsRequired} methods but only ${ssprKinds} of the enabled ones serve it`,
      });
    }
  });

/**
 * The policy: per role, what is enabled and required; for everyone, the
 * numbers of docs/design.md §5. Numbers may only be tightened from the defaults
 * (NIST SP 800-63B-4, OWASP ASVS 5.0 V6), so the bounds below are the defaults.
 */
export const policySchema = z
  .object({
    /** The role of people the directory does not know. */
    defaultRole: z.string().min(1).default('employee'),
    roles: z.record(z.string().min(1).max(40), rolePolicy).refine((roles) => Object.keys(roles).length > 0, 'define at least one role'),
    limits: z
      .object({
        maxAuthenticatorApps: z.number().int().min(1).max(5).default(5),
        /** How long a QR code may wait for its first code. */
        appEnrollmentMinutes: z.number().int().min(1).max(15).default(15),
        /** Wrong codes for one challenge before it is void (ASVS 5.0 V6). */
        attemptsPerCode: z.number().int().min(1).max(5).default(5),
        /** Consecutive failures across codes that lock verification (NIST SP 800-63B-4 §3.2.2). */
        lockoutThreshold: z.number().int().min(3).max(10).default(10),
        lockoutMinutes: z
          .number()
          .int()
          .min(15)
          .max(24 * 60)
          .default(15),
        /** NIST SP 800-63B-4 §3.2.2: never more than 100 consecutive failures without a human. */
        failuresBeforeHelpDesk: z.number().int().min(10).max(100).default(100),
        /** How long a proof of an existing method allows changes to security info (ASVS 5.0 6.3; at most 10 minutes). */
        stepUpMinutes: z.number().int().min(1).max(10).default(10),
      })
      .strict()
      .prefault({}),
    /** Codes sent by text or email, and calls. (`prefault`: an absent section gets every field's default.) */
    codes: z
      .object({
        /** NIST SP 800-63B-4 §3.1.3.2: at most 10 minutes. */
        lifetimeMinutes: z.number().int().min(1).max(10).default(5),
        callLifetimeMinutes: z.number().int().min(1).max(10).default(5),
        resendCooldownSeconds: z.number().int().min(60).max(3600).default(60),
        /** Texts, calls and emails per person per UTC day. */
        sendsPerUserPerDay: z.number().int().min(1).max(10).default(10),
        /** Per phone number or address per UTC day, whoever asks (SMS pumping, toll fraud). */
        sendsPerDestinationPerDay: z.number().int().min(1).max(10).default(10),
        /** Emails per person in any 10 minutes. */
        emailsPerTenMinutes: z.number().int().min(1).max(10).default(10),
      })
      .strict()
      .prefault({}),
    phone: z
      .object({
        /** Preselected in the country list. */
        defaultCountry: z.string().length(2).default('US'),
        /** Countries texts and calls may go to. */
        allowedCountries: z.array(z.string().length(2)).min(1),
      })
      .strict(),
    email: z
      .object({
        /** The organisation's own domains: not accepted for password reset (the mailbox is behind the password). */
        organisationDomains: z.array(z.string().min(3).toLowerCase()).default([]),
      })
      .strict()
      .prefault({}),
    securityQuestions: z
      .object({
        /** Questions of the organisation's own, offered after the predefined ones. */
        custom: z.array(z.string().trim().min(10).max(200)).max(20).default([]),
      })
      .strict()
      .prefault({}),
  })
  .strict()
  .superRefine((policy, ctx) => {
    if (!policy.roles[policy.defaultRole]) {
      ctx.addIssue({ code: 'custom', path: ['defaultRole'], message: `"${policy.defaultRole}" is not one of the roles` });
    }
    if (policy.roles.admin?.enabledMethods.includes('securityQuestions')) {
      ctx.addIssue({
        code: 'custom',
        path: ['roles', 'admin', 'enabledMethods'],
        message: 'security questions are never allowed for admins',
      });
    }
    if (!policy.phone.allowedCountries.includes(policy.phone.defaultCountry)) {
      ctx.addIssue({ code: 'custom', path: ['phone', 'defaultCountry'], message: 'must be one of allowedCountries' });
    }
  });

export type Policy = z.output<typeof policySchema>;
export type RolePolicy = Policy['roles'][string];
export type PhonePolicy = Policy['phone'];

/** The built-in policy: employees as in the seed (app, then phone); students a phone; admins no security questions. */
export const defaultPolicy: Policy = policySchema.parse({
  defaultRole: 'employee',
  roles: {
    student: {
      enabledMethods: ['authenticatorApp', 'phone', 'email', 'securityQuestions'],
      requiredMethods: ['phone'],
      ssprMethodsRequired: 1,
      securityQuestionsRequired: 3,
    },
    employee: {
      enabledMethods: ['authenticatorApp', 'phone', 'alternatePhone', 'officePhone', 'email', 'securityQuestions'],
      requiredMethods: ['authenticatorApp', 'phone'],
      ssprMethodsRequired: 2,
      securityQuestionsRequired: 3,
    },
    admin: {
      enabledMethods: ['authenticatorApp', 'phone', 'alternatePhone', 'officePhone', 'email'],
      requiredMethods: ['authenticatorApp', 'phone'],
      ssprMethodsRequired: 2,
    },
  },
  phone: {
    defaultCountry: 'US',
    allowedCountries: [
      'US',
      'CA',
      'GB',
      'IE',
      'FR',
      'DE',
      'NL',
      'BE',
      'LU',
      'ES',
      'PT',
      'IT',
      'CH',
      'AT',
      'SE',
      'NO',
      'DK',
      'FI',
      'PL',
      'AU',
      'NZ',
      'JP',
      'IN',
      'SG',
      'MX',
      'BR',
    ],
  },
});
