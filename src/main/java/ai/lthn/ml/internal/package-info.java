/** Machinery shared by the public packages. Not API: it may change in any release. */
package ai.lthn.ml.internal;
