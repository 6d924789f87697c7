import { eq } from 'drizzle-orm';
import type { DbOrTx } from '../client';
import { users } from '../schema';

/** A user as administration shows it: never the password hash. */
export const userColumns = {
  id: users.id,
  email: users.email,
  name: users.name,
  role: users.role,
  mustChangePassword: users.mustChangePassword,
  disabledAt: users.disabledAt,
  lastSignInAt: users.lastSignInAt,
  createdAt: users.createdAt,
};

type NewUser = Pick<
  typeof users.$inferInsert,
  'email' | 'name' | 'role' | 'passwordHash' | 'mustChangePassword'
>;
type UserChange = Partial<Pick<typeof users.$inferInsert, 'name' | 'role' | 'disabledAt'>>;

/** The user, or undefined when the email is taken. */
export async function insertUser(tx: DbOrTx, user: NewUser) {
  const [row] = await tx.insert(users).values(user).onConflictDoNothing().returning(userColumns);
  return row;
}

export async function changeUser(tx: DbOrTx, id: string, change: UserChange) {
  const [row] = await tx
    .update(users)
    .set({ ...change, updatedAt: new Date() })
    .where(eq(users.id, id))
    .returning(userColumns);
  return row;
}

/** A new password hash; `mustChange` when an admin set a temporary one. */
export async function setPasswordHash(tx: DbOrTx, id: string, passwordHash: string, mustChange: boolean) {
  await tx
    .update(users)
    .set({ passwordHash, mustChangePassword: mustChange, updatedAt: new Date() })
    .where(eq(users.id, id));
}

export async function stampSignIn(tx: DbOrTx, id: string, at: Date) {
  await tx.update(users).set({ lastSignInAt: at }).where(eq(users.id, id));
}

export async function deleteUserRow(tx: DbOrTx, id: string) {
  await tx.delete(users).where(eq(users.id, id));
}
