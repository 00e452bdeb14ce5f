import { ErrorCode, badUserInput, harbourError, subgraphUnavailable } from '@harbour/errors';
import { InternalCallError, internalClient } from '@harbour/server';

/** The one thing the business subgraph asks the user subgraph (service-boundaries.md): who signed up with a phone number. */
export interface UserDirectory {
  /** The user of that number (any spelling of it); NOT_FOUND when nobody signed up with it, BAD_USER_INPUT when it is not a phone number. */
  userByPhone(phone: string, requestId?: string): Promise<{ id: string; displayName: string }>;
}

export function httpUserDirectory(options: { userUrl: string; identitySecret: Uint8Array }): UserDirectory {
  const user = internalClient('user', options.userUrl, { caller: 'business', identitySecret: options.identitySecret });
  return {
    async userByPhone(phone, requestId) {
      let answer: { status: number; body: { user?: { id: string; displayName: string } } };
      try {
        answer = await user('/internal/user-by-phone', { phone }, requestId);
      } catch (error) {
        if (error instanceof InternalCallError) throw subgraphUnavailable('user');
        throw error;
      }
      if (answer.status === 400) throw badUserInput('Phone must be a phone number in E.164 form, e.g. +85291234567.', 'phone');
      if (answer.status === 404 || !answer.body.user) throw harbourError(ErrorCode.NOT_FOUND, 'No one signed up with this phone number.');
      return answer.body.user;
    },
  };
}
