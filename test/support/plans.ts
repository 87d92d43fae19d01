// A billing plan the way a client sets one up: a product, one fixed monthly GBP price, and an ACTIVE
// billing schedule for the customer from 2026-01-01, through any call function over Sequence's API.

type Call = (method: string, path: string, body?: unknown) => Promise<Record<string, any>>;

export async function monthlyPlan(
  call: Call,
  customerId: string,
  { name, amount, autoIssueInvoices }: { name: string; amount: string; autoIssueInvoices: boolean },
): Promise<{ priceId: string; scheduleId: string }> {
  const product = await call('POST', '/api/products', { name, label: name.toLowerCase() });
  const price = await call('POST', '/api/prices', {
    productId: product.id,
    name,
    currency: 'GBP',
    billingFrequency: 'MONTHLY',
    billingType: 'IN_ADVANCE',
    structure: { pricingType: 'FIXED', price: amount },
  });
  const schedule = await call('POST', '/api/billing-schedules', {
    customerId,
    startDate: '2026-01-01',
    taxRates: [],
    autoIssueInvoices,
    isDraft: false,
    rollUpBilling: false,
    phases: [{ priceIds: [price.id], startDate: '2026-01-01' }],
  });
  return { priceId: price.id as string, scheduleId: schedule.id as string };
}
