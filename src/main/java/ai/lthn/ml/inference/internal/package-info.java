/** The inference layer's machinery shared with the backends (option conversion). Not API. */
package ai.lthn.ml.inference.internal;
