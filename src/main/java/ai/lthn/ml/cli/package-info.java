/** The {@code ml} command line (picocli): thin commands that parse, call the library and print. */
package ai.lthn.ml.cli;
