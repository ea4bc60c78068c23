/**
 * Model file formats: safetensors (memory-mapped reader, writer), the MLX → HuggingFace PEFT
 * LoRA conversion ({@link ai.lthn.ml.format.PeftConverter}). Every reader checks each count,
 * length and offset against the file size before it allocates or slices, and reports bad input
 * as {@link ai.lthn.ml.InvalidInputException} naming the file and the field. Writers write a
 * temporary file in the target directory, fsync it and rename it into place.
 */
package ai.lthn.ml.format;
