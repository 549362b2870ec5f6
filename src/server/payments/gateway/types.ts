// A payment gateway the debtor pays through; we never see card data.
export interface CheckoutRequest {
  orgId: string;
  accountId: string;
  promiseId: string | null;
  /** our own reference, unique per payment attempt: the gateway echoes it back in its notification */
  reference: string;
  amountMinor: number;
  currency: string;
  description: string;
  /** where the gateway sends the debtor back after paying */
  returnUrl: string;
}
export interface Checkout {
  url: string;
  gatewayRef: string;
}
export interface PaymentGateway {
  readonly name: string;
  createCheckout(req: CheckoutRequest): Promise<Checkout>;
}
