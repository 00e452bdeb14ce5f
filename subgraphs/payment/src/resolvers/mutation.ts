import { requireUser } from '@harbour/server';
import type { PaymentContext } from '../context';
import { cancelPaymentRequest } from '../domain/cancel-payment-request';
import { createPaymentRequest, type CreatePaymentRequestInput } from '../domain/create-payment-request';
import { payPaymentRequest } from '../domain/pay-payment-request';
import { refundPayment, type RefundPaymentInput } from '../domain/refund-payment';
import { sendMoney, type SendMoneyInput } from '../domain/send-money';
import { topUpWallet } from '../domain/top-up-wallet';
import { createPaymentLink, deactivatePaymentLink, payPaymentLink, type CreatePaymentLinkInput } from '../links/links';
import { payBusiness, type PayBusinessInput } from '../shop/pay-business';
import { setBusinessPayoutAccount, type SetPayoutAccountInput } from '../payouts/payout-account';
import { requestPayout, type RequestPayoutInput } from '../payouts/request-payout';
import { requestStatement, type RequestStatementInput } from '../statements/request-statement';
import { statementAnswer } from '../statements/statement-answer';
import { actorOf } from '../partners/actor';
import { walletIdOf } from '../wallet-id';
import type { WalletParent } from './entities';

export const Mutation = {
  async topUpWallet(_: unknown, args: { input: { amount: bigint; idempotencyKey: string } }, context: PaymentContext): Promise<WalletParent> {
    const { userId } = requireUser(context.identity);
    const result = await topUpWallet(context.services, userId, args.input);
    return { id: walletIdOf(userId), ownerId: userId, balanceMinor: result.balanceMinor };
  },
  createPaymentRequest(_: unknown, args: { input: CreatePaymentRequestInput }, context: PaymentContext) {
    return createPaymentRequest(context.services, actorOf(context.identity, 'createPaymentRequest'), args.input, context.requestId);
  },
  cancelPaymentRequest(_: unknown, args: { id: string }, context: PaymentContext) {
    return cancelPaymentRequest(context.services, actorOf(context.identity, 'cancelPaymentRequest'), args.id, context.requestId);
  },
  async payPaymentRequest(_: unknown, args: { input: { paymentRequestId: string; idempotencyKey: string } }, context: PaymentContext) {
    const { userId } = requireUser(context.identity);
    const { payment, paymentRequest } = await payPaymentRequest(context.services, userId, args.input, context.requestId);
    if (paymentRequest) context.paymentRequests.prime(paymentRequest.id, paymentRequest);
    return payment;
  },
  payBusiness(_: unknown, args: { input: PayBusinessInput }, context: PaymentContext) {
    const { userId } = requireUser(context.identity);
    return payBusiness(context.services, userId, args.input, context.requestId);
  },
  async createPaymentLink(_: unknown, args: { input: CreatePaymentLinkInput }, context: PaymentContext) {
    const link = await createPaymentLink(context.services, actorOf(context.identity, 'createPaymentLink'), args.input, context.requestId);
    context.paymentLinks.prime(link.id, link);
    return link;
  },
  payPaymentLink(_: unknown, args: { input: { paymentLinkId: string; amount?: bigint | null; idempotencyKey: string } }, context: PaymentContext) {
    const { userId } = requireUser(context.identity);
    // The link is read fresh when the payment is answered (its count and status just changed).
    return payPaymentLink(context.services, userId, args.input, context.requestId);
  },
  deactivatePaymentLink(_: unknown, args: { id: string }, context: PaymentContext) {
    const { userId } = requireUser(context.identity);
    return deactivatePaymentLink(context.services, userId, args.id, context.requestId);
  },
  refundPayment(_: unknown, args: { input: RefundPaymentInput }, context: PaymentContext) {
    return refundPayment(context.services, actorOf(context.identity, 'refundPayment'), args.input, context.requestId);
  },
  async setBusinessPayoutAccount(_: unknown, args: { input: SetPayoutAccountInput }, context: PaymentContext) {
    const { userId } = requireUser(context.identity);
    await setBusinessPayoutAccount(context.services, userId, args.input, context.requestId);
    return { __typename: 'Business', id: args.input.businessId };
  },
  requestPayout(_: unknown, args: { input: RequestPayoutInput }, context: PaymentContext) {
    const { userId } = requireUser(context.identity);
    return requestPayout(context.services, userId, args.input, context.requestId);
  },
  async requestStatement(_: unknown, args: { input: RequestStatementInput }, context: PaymentContext) {
    const statement = await requestStatement(context.services, actorOf(context.identity, 'requestStatement'), args.input, context.requestId);
    return statementAnswer(statement, context.services.config.moneyOutFiles, context.services.config.statementUrlTtlSeconds);
  },
  sendMoney(_: unknown, args: { input: SendMoneyInput }, context: PaymentContext) {
    const { userId } = requireUser(context.identity);
    return sendMoney(context.services, userId, args.input, context.requestId);
  },
};
