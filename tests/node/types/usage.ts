// A frontend's use of the package, compiled with `tsc --noEmit` by tests/node/types.test.mjs
// against the installed tarball: the API types and the generated event types must hold.
import {
  createValidator,
  makeEvent,
  MsgeventsError,
  type CompatReport,
  type CustomerDisabled,
  type ContactCreated,
  type ProviderConfigured,
  type CustomerCreated,
  type DomainEvent,
  type EventName,
  type EventOf,
  type Finding,
  type PayloadOf,
  type RedactResult,
  type Report,
  type Severity,
  type ValidateOptions,
} from 'msgevents';

const customer: CustomerCreated = {
  event_name: 'CustomerCreated',
  event_id: '019a534a-3749-7737-9a21-2e013149592f',
  aggregate_type: 'Customer',
  aggregate_id: 'cus_01JC3Z8W5Q2M4N6P8R0T2V4X6Y',
  occurred_at: '2025-11-05T09:12:44.105Z',
  actor: { type: 'user', id: 'usr_01JC3Y7R1T3V5X7Z9B1D3F5H7K' },
  version: 1,
  payload: { customer_id: 'cus_01JC3Z8W5Q2M4N6P8R0T2V4X6Y', status: 'active', name: 'Northwind Traders', country_code: 'GB' },
};

// The union narrows on event_name.
function describe(event: DomainEvent): string {
  switch (event.event_name) {
    case 'CustomerCreated':
      return event.payload.name;
    case 'ContactCreated':
      return event.payload.contact_id;
    default:
      return event.aggregate_id;
  }
}

const names: EventName[] = ['CustomerCreated', 'ConversationArchived'];
const same: EventOf<'CustomerCreated'> = customer;
const payload: PayloadOf<'CustomerCreated'> = customer.payload;

async function main(): Promise<void> {
  const v = await createValidator();
  const options: ValidateOptions = { profile: 'public', strict: true, now: new Date() };
  const report: Report = v.validate(JSON.stringify(customer), options);
  const bytes: Report = v.validate(new TextEncoder().encode(JSON.stringify(customer)));
  const first: Finding | undefined = report.findings[0];
  const severity: Severity | undefined = first?.severity;
  const events: number = report.summary.events + bytes.summary.critical;
  const writer = await v.createReport({ format: 'sarif', inputs: ['a.ndjson'], startedAt: new Date() });
  const sarif: string = writer.begin() + writer.beginInput('a.ndjson') + writer.push('{}') + writer.endInput().tail + writer.finish().tail;
  const held: boolean = writer.holdsBack;
  void sarif;
  void held;
  const session = v.createSession({ now: '2025-01-01T00:00:00Z' });
  const found: Finding[] = session.push(new Uint8Array([123, 125]));
  const rest: Report = session.finish();
  const markdown: string = v.checklist();
  const version: string = v.catalog.catalog_version;
  const schema: Record<string, unknown> = await v.jsonSchema('CustomerCreated');
  const cloudEvent: Promise<Record<string, unknown>> = v.toCloudEvent({ event_name: 'CustomerCreated' });
  const changes: CompatReport = await v.compat(v.catalog, v.catalogJson());
  console.log(await cloudEvent, changes.ok);
  const escalation: 'strict' | 'public' | null | undefined = v.rules()[0]?.escalation;
  const state: string | undefined = report.aggregates[0]?.final_state;
  const now: number | null = v.parseDateTime('2025-11-05T09:12:44Z');
  console.log(escalation, state, now);
  const compat = await v.compat(v.catalog, v.catalog, { mode: 'full', strictConsumers: true });
  const renamed: string | undefined = compat.renames[0]?.to;
  const bump: 'none' | 'minor' | 'major' | 'new_event_name' | undefined = (await v.compatPolicy()).rows[0]?.verdicts.forward.bump;
  console.log(compat.mode, renamed, bump);
  const streamed: Promise<Report> = v.validateStream([new Uint8Array(0), '{}']);
  console.log(describe(customer), names, same, payload, severity, events, found, rest, markdown, version, schema, await streamed);
  try {
    v.validate('{}');
  } catch (error) {
    if (error instanceof MsgeventsError) console.log(error.message);
  }

  // @ts-expect-error: the profile is "internal" or "public".
  v.validate('{}', { profile: 'everyone' });

  // redact(): the text alone, or with withFindings the text and what was withheld.
  const redactedText: string = v.redact('{}', { key: 'k' });
  const withheld: RedactResult = v.redact('{}', { key: 'k', withFindings: true });
  const withheldFindings: Finding[] = withheld.findings;
  const noOptions: string = v.redact('{}', null);
  console.log(redactedText, withheld.text, withheldFindings, noOptions);
  // @ts-expect-error: with withFindings the result is an object, not a string.
  const notText: string = v.redact('{}', { withFindings: true });
  // @ts-expect-error: maxDepth is a number, not a string.
  v.validate('{}', { maxDepth: '5' });
  // @ts-expect-error: the mode is backward, forward, full or none.
  v.compat(v.catalog, v.catalog, { mode: 'sideways' });
  console.log(notText);
}

// Deliberately wrong events: each line below must fail to type-check.
const wrongName: CustomerCreated = {
  ...customer,
  // @ts-expect-error: a CustomerCreated cannot carry another event's name.
  event_name: 'CustomerUpdated',
};
const wrongStatus: CustomerCreated = {
  ...customer,
  // @ts-expect-error: status is an enum ("active" only for a created customer).
  payload: { ...customer.payload, status: 'sleeping' },
};
// @ts-expect-error: a ContactCreated needs its payload's required fields.
const missing: ContactCreated = { ...customer, event_name: 'ContactCreated', aggregate_type: 'Contact', payload: {} };
const secret: ProviderConfigured = {
  event_name: 'ProviderConfigured',
  event_id: '019a534a-3749-7737-9a21-2e013149592f',
  aggregate_type: 'Provider',
  aggregate_id: 'prv_1',
  occurred_at: '2025-11-05T09:12:44.105Z',
  actor: { type: 'system', id: 'svc_1' },
  version: 1,
  payload: {
    provider_id: 'prv_1',
    customer_id: 'cus_1',
    kind: 'twilio',
    status: 'enabled',
    display_name: 'Twilio EU',
    channel_kinds: ['phone'],
    credentials_ref: 'vault:prv_1',
    // @ts-expect-error: a secret (api_key) never travels in an event, so the types refuse it.
    api_key: 'k',
  },
};

// makeEvent: the payload of the named type, and the event of that type back.
const disabled: CustomerDisabled = makeEvent('CustomerDisabled', {
  payload: { customer_id: 'cus_1', status: 'disabled', reason: 'non_payment' },
  actor: { type: 'system', id: 'svc_billing' },
  version: 2,
  idempotencyKey: 'cus_1:2',
});
const disabledReason: 'non_payment' | 'customer_request' | 'policy_violation' | 'security_review' | 'contract_ended' | 'other' =
  disabled.payload.reason;
const madeAny: DomainEvent = makeEvent('ContactCreated', {
  payload: { contact_id: 'con_1', customer_id: 'cus_1', status: 'active' },
  actor: { type: 'user', id: 'usr_1' },
  version: 1,
});
makeEvent('CustomerDisabled', {
  // @ts-expect-error: CustomerDisabled's payload has no field "nickname".
  payload: { customer_id: 'cus_1', status: 'disabled', reason: 'other', nickname: 'x' },
  actor: { type: 'system', id: 'svc_1' },
  version: 2,
});
makeEvent('CustomerDisabled', {
  // @ts-expect-error: "bored" is not one of the reasons the catalog lists.
  payload: { customer_id: 'cus_1', status: 'disabled', reason: 'bored' },
  actor: { type: 'system', id: 'svc_1' },
  version: 2,
});
// @ts-expect-error: not an event type of the catalog.
makeEvent('CustomerDeleted', { payload: { customer_id: 'cus_1' }, actor: { type: 'system', id: 'svc_1' }, version: 2 });
// @ts-expect-error: an actor is a user or the system.
makeEvent('CustomerCreated', { payload: customer.payload, actor: { type: 'robot', id: 'r_1' }, version: 1 });

// validate() takes event objects, and arrays of them, as they are.
async function validateObjects(): Promise<number> {
  const v = await createValidator();
  return v.validate(disabled).summary.events + v.validate([disabled, madeAny, customer]).summary.events;
}

void main();
void validateObjects();
console.log(disabledReason);
console.log(wrongName, wrongStatus, missing, secret);
