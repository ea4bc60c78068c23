package ai.lthn.ml.spark;

import ai.lthn.ml.score.ContentScores;
import ai.lthn.ml.score.HeuristicScores;
import ai.lthn.ml.score.PromptScore;
import ai.lthn.ml.score.Response;
import ai.lthn.ml.score.ScoreFailure;
import ai.lthn.ml.score.SemanticScores;
import ai.lthn.ml.score.StandardScores;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The Spark schemas of go-ml's records and the conversions: response columns to {@link Response},
 * {@link PromptScore} to a score row and back. Column names are go-ml's JSON names; a score suite
 * that gave nothing is a null struct, as go-ml omits it.
 */
public final class ScoreRows {
    private static final RecordShape<HeuristicScores> HEURISTIC = new RecordShape<>(HeuristicScores.class);
    private static final RecordShape<SemanticScores> SEMANTIC = new RecordShape<>(SemanticScores.class);
    private static final RecordShape<ContentScores> CONTENT = new RecordShape<>(ContentScores.class);
    private static final RecordShape<StandardScores> STANDARD = new RecordShape<>(StandardScores.class);

    /** One dead letter: the suite, the failure kind and its message. */
    public static final StructType DEAD_LETTER = new StructType()
            .add("suite", DataTypes.StringType, false)
            .add("kind", DataTypes.StringType, false)
            .add("message", DataTypes.StringType, false);

    /**
     * The score rows: {@code id}, {@code model}, the {@code heuristic}, {@code semantic}, {@code
     * content} and {@code standard} structs (null where the suite gave nothing) and {@code
     * dead_letter}: null when every suite scored, else the failures of the row.
     */
    public static final StructType SCORES = new StructType()
            .add("id", DataTypes.StringType, false)
            .add("model", DataTypes.StringType, false)
            .add("heuristic", HEURISTIC.schema, true)
            .add("semantic", SEMANTIC.schema, true)
            .add("content", CONTENT.schema, true)
            .add("standard", STANDARD.schema, true)
            .add("dead_letter", DataTypes.createArrayType(DEAD_LETTER, false), true);

    /** go-ml's response columns ({@link Response}'s JSON names); only {@code response} is needed. */
    public static final StructType RESPONSES = new StructType()
            .add("id", DataTypes.StringType, true)
            .add("domain", DataTypes.StringType, true)
            .add("prompt", DataTypes.StringType, true)
            .add("response", DataTypes.StringType, true)
            .add("model", DataTypes.StringType, true)
            .add("elapsed_seconds", DataTypes.DoubleType, true)
            .add("correct_answer", DataTypes.StringType, true)
            .add("best_answer", DataTypes.StringType, true)
            .add("risk_area", DataTypes.StringType, true);

    private ScoreRows() {}

    /**
     * A score row.
     *
     * @param score the scores
     * @param failures the row's failures; empty when every suite scored
     * @return a row of {@link #SCORES}
     */
    public static Row toRow(PromptScore score, List<ScoreFailure> failures) {
        Row[] letters = null;
        if (!failures.isEmpty()) {
            letters = new Row[failures.size()];
            for (int i = 0; i < letters.length; i++) {
                ScoreFailure f = failures.get(i);
                letters[i] = RowFactory.create(f.suite().wireName(), f.kind().name(), f.message());
            }
        }
        return RowFactory.create(
                score.id(),
                score.model(),
                HEURISTIC.toRow(score.heuristic()),
                SEMANTIC.toRow(score.semantic()),
                CONTENT.toRow(score.content()),
                STANDARD.toRow(score.standard()),
                letters); // an array: Spark's external type for an array column
    }

    /**
     * The scores of a score row (its dead letters aside).
     *
     * @param row a row of {@link #SCORES} (columns by name)
     * @return the scores, as {@code ml score} writes them
     */
    public static PromptScore toScore(Row row) {
        return new PromptScore(
                row.getString(row.fieldIndex("id")),
                row.getString(row.fieldIndex("model")),
                HEURISTIC.fromRow(row.getStruct(row.fieldIndex("heuristic"))),
                SEMANTIC.fromRow(row.getStruct(row.fieldIndex("semantic"))),
                CONTENT.fromRow(row.getStruct(row.fieldIndex("content"))),
                STANDARD.fromRow(row.getStruct(row.fieldIndex("standard"))));
    }

    /**
     * Where each response column is in a schema: -1 when the input has no such column (it reads
     * as empty, as an absent JSON field).
     *
     * @param schema the input's schema
     * @return the indexes, in {@link #RESPONSES}' order
     * @throws IllegalArgumentException when there is no {@code response} column, or a column has
     *     a type that cannot be read
     */
    public static int[] responseColumns(StructType schema) {
        String[] names = RESPONSES.fieldNames();
        int[] at = new int[names.length];
        List<String> present = List.of(schema.fieldNames());
        for (int i = 0; i < names.length; i++) {
            at[i] = present.indexOf(names[i]);
            if (at[i] < 0) continue;
            DataType type = schema.fields()[at[i]].dataType();
            boolean ok = names[i].equals("elapsed_seconds")
                    ? type instanceof org.apache.spark.sql.types.NumericType
                    : type.equals(DataTypes.StringType);
            if (!ok)
                throw new IllegalArgumentException("column " + names[i] + " is " + type.simpleString() + ", not "
                        + (names[i].equals("elapsed_seconds") ? "a number" : "a string"));
        }
        if (at[3] < 0)
            throw new IllegalArgumentException(
                    "no \"response\" column to score (columns: " + String.join(", ", present) + ")");
        return at;
    }

    /**
     * A response from an input row.
     *
     * @param row the row
     * @param at the columns, from {@link #responseColumns}
     * @return the response; null and absent columns read as empty
     */
    public static Response toResponse(Row row, int[] at) {
        return new Response(
                text(row, at[0]),
                text(row, at[1]),
                text(row, at[2]),
                text(row, at[3]),
                text(row, at[4]),
                at[5] < 0 || row.isNullAt(at[5]) ? 0 : ((Number) row.get(at[5])).doubleValue(),
                text(row, at[6]),
                text(row, at[7]),
                text(row, at[8]));
    }

    /**
     * A row of {@link #RESPONSES}.
     *
     * @param r the response
     * @return its row
     */
    public static Row fromResponse(Response r) {
        return RowFactory.create(
                r.id(),
                r.domain(),
                r.prompt(),
                r.response(),
                r.model(),
                r.elapsedSeconds(),
                r.correctAnswer(),
                r.bestAnswer(),
                r.riskArea());
    }

    private static String text(Row row, int at) {
        return at < 0 || row.isNullAt(at) ? "" : row.getString(at);
    }

    /** A score record as a struct: its components, named as in JSON, in order. */
    private static final class RecordShape<T extends Record> {
        final StructType schema;
        final Method[] accessors;
        final Constructor<T> constructor;

        RecordShape(Class<T> type) {
            RecordComponent[] parts = type.getRecordComponents();
            StructType s = new StructType();
            accessors = new Method[parts.length];
            Class<?>[] types = new Class<?>[parts.length];
            for (int i = 0; i < parts.length; i++) {
                RecordComponent c = parts[i];
                JsonProperty name = c.getAccessor().getAnnotation(JsonProperty.class);
                s = s.add(
                        name == null ? c.getName() : name.value(),
                        sparkType(c.getType()),
                        !c.getType().isPrimitive());
                accessors[i] = c.getAccessor();
                accessors[i].setAccessible(true);
                types[i] = c.getType();
            }
            schema = s;
            try {
                constructor = type.getDeclaredConstructor(types);
            } catch (NoSuchMethodException e) {
                throw new IllegalStateException("no canonical constructor on " + type, e);
            }
        }

        private static DataType sparkType(Class<?> t) {
            if (t == int.class) return DataTypes.IntegerType;
            if (t == double.class) return DataTypes.DoubleType;
            if (t == Boolean.class) return DataTypes.BooleanType;
            if (t == String.class) return DataTypes.StringType;
            throw new IllegalStateException("no Spark type for " + t);
        }

        Row toRow(T value) {
            if (value == null) return null;
            Object[] values = new Object[accessors.length];
            try {
                for (int i = 0; i < values.length; i++) values[i] = accessors[i].invoke(value);
            } catch (IllegalAccessException | InvocationTargetException e) {
                throw new IllegalStateException("read " + value.getClass().getSimpleName(), e);
            }
            return RowFactory.create(values);
        }

        T fromRow(Row row) {
            if (row == null) return null;
            Object[] values = new Object[accessors.length];
            for (int i = 0; i < values.length; i++) values[i] = row.get(i);
            try {
                return constructor.newInstance(values);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(
                        "build " + constructor.getDeclaringClass().getSimpleName(), e);
            }
        }
    }
}
