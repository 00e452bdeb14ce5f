/**
 * A wallet's id is derived from its owner's (`usr_X` ↔ `wlt_X`), so that a
 * wallet exists, with balance zero, from the moment its user does: the
 * ledger account behind it is opened by the first money movement.
 */
export const walletIdOf = (userId: string) => `wlt_${userId.replace(/^usr_/, '')}`;
export const walletOwnerOf = (walletId: string) => (walletId.startsWith('wlt_') ? `usr_${walletId.slice(4)}` : null);
