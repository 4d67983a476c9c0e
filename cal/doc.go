// Package cal is weekmap's calendar domain: the event model every source
// maps to and everything above it reads, and the category names. It uses
// the standard library only, so that the rule engine and the reports do
// not depend on how events are fetched or stored.
package cal
