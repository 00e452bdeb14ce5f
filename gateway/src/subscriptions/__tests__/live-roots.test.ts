import { getOperationAST, parse, print, type FieldNode } from 'graphql';
import { hydrationQuery, LIVE_ROOTS, MESSAGE_VARIABLE } from '../live-roots';

const rewrite = (source: string) => {
  const document = parse(source);
  const operation = getOperationAST(document)!;
  const field = operation.selectionSet.selections[0] as FieldNode;
  return print(hydrationQuery(document, operation, field, LIVE_ROOTS[field.name.value]!));
};

describe('a subscription as the query that completes each update', () => {
  it('keeps the response key, arguments, variables and fragments', () => {
    expect(rewrite('subscription Watch($id: ID!) { paymentRequestUpdated(id: $id) { id ...F } } fragment F on PaymentRequest { status }')).toBe(
      print(parse('query Watch($id: ID!) { paymentRequestUpdated: paymentRequest(id: $id) { id ...F } } fragment F on PaymentRequest { status }')),
    );
    expect(rewrite('subscription { mine: paymentRequestUpdated(id: "prq_1") { id } }')).toBe(print(parse('{ mine: paymentRequest(id: "prq_1") { id } }')));
  });

  it('takes the notification id from the update', () => {
    expect(rewrite('subscription NotificationAdded { notificationAdded { id kind } }')).toBe(
      print(parse(`query NotificationAdded($${MESSAGE_VARIABLE}: ID!) { notificationAdded: notification(id: $${MESSAGE_VARIABLE}) { id kind } }`)),
    );
  });
});
