/**
 * `@studio/tenancy/connection`: for a package that opens its own pool beside the scoped client's
 * (the auth library, the admin console): the session settings every request pool pins, and the
 * reconnect backoff the scoped client's pools use.
 */
export { REQUEST_SESSION, reconnectBackoff, type SessionSettings } from './scoped/executor';
