/**
 * The JSON writer the library's exports share ({@link io.referrals.core.json.JsonWriter}); core depends on no JSON
 * library. Meant for the library itself and may change between releases.
 */
package io.referrals.core.json;
