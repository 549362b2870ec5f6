import { z } from 'zod';
import { Id, IsoInstant, User } from '../domain/entities';
import { Role } from '../domain/enums';

/**
 * User and team administration bodies (/api/v1/users, /api/v1/teams, /api/v1/me/password).
 * Writes are for administrators of the organisation; a team lead only lists their team.
 */

export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 200;

export const NewPassword = z
  .string()
  .min(PASSWORD_MIN_LENGTH, `password must have at least ${PASSWORD_MIN_LENGTH} characters`)
  .max(PASSWORD_MAX_LENGTH, `password must have at most ${PASSWORD_MAX_LENGTH} characters`)
  .refine((p) => p.trim().length === p.length, 'password must not start or end with spaces');

/** Login names: lower case, no spaces, so a collector types the same name on every screen. */
export const Username = z
  .string()
  .trim()
  .min(3, 'username must have at least 3 characters')
  .max(40, 'username must have at most 40 characters')
  .regex(/^[a-z0-9][a-z0-9._-]*$/, 'username: lower-case letters, digits, dot, dash or underscore, starting with a letter or digit');

export const DisplayName = z.string().trim().min(1, 'display name is required').max(100, 'display name must have at most 100 characters');

export const SipExtension = z
  .string()
  .trim()
  .regex(/^\d{2,10}$/, 'SIP extension: 2 to 10 digits');
/** The extension and the password the PBX knows it by: both or neither. */
export const SipAccount = z.object({
  extension: SipExtension,
  password: z.string().min(6, 'SIP password must have at least 6 characters').max(100),
});

export const CreateUserRequest = z
  .object({
    username: Username,
    displayName: DisplayName,
    role: Role,
    teamId: Id.nullable().default(null),
    password: NewPassword,
    sip: SipAccount.nullable().default(null),
  })
  .strict();
export type CreateUserRequest = z.input<typeof CreateUserRequest>;

export const UpdateUserRequest = z
  .object({
    displayName: DisplayName.optional(),
    role: Role.optional(),
    teamId: Id.nullable().optional(),
    disabled: z.boolean().optional(),
    sip: SipAccount.nullable().optional(),
  })
  .strict()
  .refine((b) => Object.values(b).some((v) => v !== undefined), 'nothing to change: send at least one field');
export type UpdateUserRequest = z.input<typeof UpdateUserRequest>;

export const SetPasswordRequest = z.object({ password: NewPassword }).strict();
export const ChangeOwnPasswordRequest = z
  .object({
    currentPassword: z.string().min(1, 'current password is required'),
    newPassword: NewPassword,
  })
  .strict();

export const AdminUser = User.extend({ sipExtension: z.string().nullable() });
export type AdminUser = z.infer<typeof AdminUser>;

export const TeamName = z.string().trim().min(1, 'team name is required').max(80, 'team name must have at most 80 characters');

export const Team = z.object({
  id: Id,
  name: TeamName,
  leadId: Id.nullable(),
  /** Users whose team this is (any role). */
  memberCount: z.number().int().nonnegative(),
  createdAt: IsoInstant,
});
export type Team = z.infer<typeof Team>;
export const TeamList = z.object({ teams: z.array(Team) });

export const CreateTeamRequest = z.object({ name: TeamName, leadId: Id.nullable().default(null) }).strict();
export const UpdateTeamRequest = z
  .object({ name: TeamName.optional(), leadId: Id.nullable().optional() })
  .strict()
  .refine((b) => b.name !== undefined || b.leadId !== undefined, 'nothing to change: send name or leadId');

export const AuditEntry = z.object({
  seq: z.number().int(),
  /** null: done from the server's command line. */
  actorId: Id.nullable(),
  via: z.enum(['api', 'cli']),
  action: z.string(),
  userId: Id.nullable(),
  teamId: Id.nullable(),
  before: z.record(z.string(), z.unknown()).nullable(),
  after: z.record(z.string(), z.unknown()).nullable(),
  at: IsoInstant,
});
export const AuditList = z.object({ entries: z.array(AuditEntry) });
