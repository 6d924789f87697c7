import { Button } from '@sextant/ui';
import { signOut } from '~/auth/config';

export function SignOutButton() {
  return (
    <form
      action={async () => {
        'use server';
        await signOut({ redirectTo: '/signin' });
      }}
    >
      <Button type="submit" variant="outline" size="sm">
        Sign out
      </Button>
    </form>
  );
}
