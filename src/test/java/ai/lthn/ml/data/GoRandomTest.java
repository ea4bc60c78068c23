package ai.lthn.ml.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Pins {@link GoRandom} to Go's math/rand. Every expected number below was produced by running a
 * throwaway program with Go 1.19.8 ({@code /usr/bin/go run main.go}) on this machine: {@code
 * rand.NewSource(seed).Int63()} 20 times per seed; {@code .(rand.Source64).Uint64()};
 * {@code rand.New(rand.NewSource(seed))} then {@code Int31n}, {@code Int63n}, {@code Intn} over the
 * listed bounds in sequence; and {@code Shuffle(n, swap)} of {@code [0..n)}. Large permutations are
 * checked by {@code h = 17; h = h*31 + p[i]} (int64, wrapping) plus the first and last 10 entries.
 */
class GoRandomTest {

    private static long[] int63s(long seed) {
        GoRandom r = new GoRandom(seed);
        long[] out = new long[20];
        for (int i = 0; i < out.length; i++) out[i] = r.int63();
        return out;
    }

    @Test
    void seed0IsSeededLike89482311() {
        assertThat(int63s(0))
                .containsExactly(
                        8717895732742165505L,
                        2259404117704393152L,
                        6050128673802995827L,
                        501233450539197794L,
                        3390393562759376202L,
                        2669985732393126063L,
                        1774932891286980153L,
                        6044372234677422456L,
                        8274930044578894929L,
                        1543572285742637646L,
                        2661732831099943416L,
                        8325060299420976708L,
                        7837839688282259259L,
                        2518412263346885298L,
                        5617773211005988520L,
                        2339563716805116249L,
                        7144924247938981575L,
                        161231572858529631L,
                        7259475919510918339L,
                        7373105480197164748L);
        assertThat(int63s(89482311)).containsExactly(int63s(0));
    }

    @Test
    void seed1() {
        assertThat(int63s(1))
                .containsExactly(
                        5577006791947779410L,
                        8674665223082153551L,
                        6129484611666145821L,
                        4037200794235010051L,
                        3916589616287113937L,
                        6334824724549167320L,
                        605394647632969758L,
                        1443635317331776148L,
                        894385949183117216L,
                        2775422040480279449L,
                        4751997750760398084L,
                        7504504064263669287L,
                        1976235410884491574L,
                        3510942875414458836L,
                        2933568871211445515L,
                        4324745483838182873L,
                        2610529275472644968L,
                        2703387474910584091L,
                        6263450610539110790L,
                        2015796113853353331L);
    }

    @Test
    void seed42() {
        assertThat(int63s(42))
                .containsExactly(
                        3440579354231278675L,
                        608747136543856411L,
                        5571782338101878760L,
                        1926012586526624009L,
                        404153945743547657L,
                        3534334367214237261L,
                        7497468244883513247L,
                        3545887102062614208L,
                        3532963341805492868L,
                        5961769557461764184L,
                        6784982874943501314L,
                        2010156224608899041L,
                        3335934666146214990L,
                        1118224062840270781L,
                        6124420007038740542L,
                        4299969443970870044L,
                        6570415425842765075L,
                        6603068123710785442L,
                        8685383948212866759L,
                        8953870811860009499L);
    }

    @Test
    void negativeSeeds() {
        assertThat(int63s(-1))
                .containsExactly(
                        3644962268338389676L,
                        550171362161912239L,
                        3094056749125766625L,
                        5185619287625335803L,
                        5303699392440114477L,
                        2885068457955727142L,
                        8617297895100121056L,
                        7780200714598034794L,
                        8329828311202461790L,
                        6445856527061488741L,
                        4472772868762542842L,
                        1721880635185215959L,
                        7249951373399066312L,
                        5708699618126827050L,
                        6288749833394868979L,
                        4896702404585171493L,
                        6614230344932652182L,
                        6517937274122330851L,
                        2962311761553579640L,
                        7203943133693375115L);
        assertThat(int63s(-7))
                .containsExactly(
                        747107023976529931L,
                        7084732931963018726L,
                        6995717851144434728L,
                        814608651260322299L,
                        2783162703872624372L,
                        7878270239748688685L,
                        5955702369077599753L,
                        6065507135134365340L,
                        9018882972155839307L,
                        3120502802776292194L,
                        4993019207000234381L,
                        5636651510254353112L,
                        7885208135646433487L,
                        1392822902093580542L,
                        7873070089433051874L,
                        7564600588605105565L,
                        2809213795423973443L,
                        1166835622548740211L,
                        1366115374165645772L,
                        8022929301821053753L);
    }

    @Test
    void seedsBeyond32Bits() {
        assertThat(int63s((1L << 31) + 5))
                .containsExactly(
                        3305628230121721621L,
                        7790075977082629872L,
                        5704772823066690082L,
                        2562845734909783958L,
                        7323399772442084512L,
                        8278466603672314061L,
                        8755732047710207970L,
                        313584625109755136L,
                        6104451687298301301L,
                        7709489694844143805L,
                        2133670368038386585L,
                        4423251457820034327L,
                        6435482746875870991L,
                        1198011015967800289L,
                        7127582459270296837L,
                        7964404394802114669L,
                        6571525744535908879L,
                        1140430670649314892L,
                        9140005179782075663L,
                        4780814671690682884L);
        assertThat(int63s(1L << 40))
                .containsExactly(
                        5470237361722394362L,
                        6322525149314491254L,
                        1177463506020107830L,
                        1565541666764780662L,
                        7675952003761928004L,
                        5800323741864134101L,
                        2542414644946297451L,
                        8026136678859720729L,
                        1963463810538189359L,
                        3277424672240818929L,
                        1088468621903056682L,
                        5480096284084558478L,
                        671178510774374563L,
                        1406868946266469744L,
                        3821103649932948706L,
                        988355413972706307L,
                        8336918918087147690L,
                        7515196370854153018L,
                        7018503932511135185L,
                        6135449717160295110L);
    }

    @Test
    void uint64IsTheFull64Bits() {
        GoRandom r = new GoRandom(1);
        long[] got = new long[5];
        for (int i = 0; i < 5; i++) got[i] = r.uint64();
        assertThat(Arrays.stream(got).mapToObj(Long::toUnsignedString))
                .containsExactly(
                        "5577006791947779410",
                        "8674665223082153551",
                        "15352856648520921629",
                        "13260572831089785859",
                        "3916589616287113937");
        GoRandom r42 = new GoRandom(42);
        assertThat(Long.toUnsignedString(r42.uint64())).isEqualTo("12663951391086054483");
        assertThat(Long.toUnsignedString(r42.uint64())).isEqualTo("9832119173398632219");
    }

    /** Int31n over 1, 2, 3, 10, 1000, 2^30, 2^31-1, then Int63n, then Intn, from one generator. */
    @Test
    void boundedDraws() {
        GoRandom r = new GoRandom(1);
        int[] b31 = {1, 2, 3, 10, 1000, 1 << 30, Integer.MAX_VALUE};
        long[] b63 = {1, 3, 10, 1L << 40, (1L << 40) + 7, (1L << 62) + 1, Long.MAX_VALUE};
        long[] bn = {5, Integer.MAX_VALUE, 1L << 31, (1L << 40) + 3};
        assertThat(Arrays.stream(b31).map(r::int31n)).containsExactly(0, 1, 2, 9, 81, 401199494, 140954425);
        assertThat(Arrays.stream(b63).map(r::int63n))
                .containsExactly(0L, 2L, 9L, 854489259268L, 754086592689L, 1976235410884491574L, 3510942875414458836L);
        assertThat(Arrays.stream(bn).map(r::intn)).containsExactly(3L, 1006933274L, 2085489512L, 643504312327L);

        GoRandom s = new GoRandom(42);
        assertThat(Arrays.stream(b31).map(s::int31n)).containsExactly(0, 1, 2, 0, 423, 822901345, 1745640357);
        assertThat(Arrays.stream(b63).map(s::int63n))
                .containsExactly(0L, 2L, 4L, 1073542444034L, 479393696083L, 3335934666146214990L, 1118224062840270781L);
        assertThat(Arrays.stream(bn).map(s::intn)).containsExactly(2L, 1001164653L, 739958035L, 521107250997L);
    }

    @Test
    void boundsMustBePositive() {
        GoRandom r = new GoRandom(1);
        assertThatThrownBy(() -> r.int31n(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> r.int63n(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> r.intn(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> r.shuffle(-1, (i, j) -> {})).isInstanceOf(IllegalArgumentException.class);
    }

    static int[] perm(long seed, int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) p[i] = i;
        new GoRandom(seed).shuffle(n, (i, j) -> {
            int t = p[(int) i];
            p[(int) i] = p[(int) j];
            p[(int) j] = t;
        });
        return p;
    }

    static long hash(int[] p) {
        long h = 17;
        for (int v : p) h = h * 31 + v;
        return h;
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = ';',
            value = {
                "42;1;0", "42;2;1 0", "42;3;2 0 1", "42;10;2 5 7 9 6 8 1 4 0 3",
                "1;1;0", "1;2;0 1", "1;3;0 2 1", "1;10;1 7 4 0 9 2 3 5 8 6",
                "0;1;0", "0;2;0 1", "0;3;1 0 2", "0;10;3 7 4 6 1 8 0 5 2 9",
            })
    void smallShuffles(long seed, int n, String expected) {
        assertThat(perm(seed, n))
                .containsExactly(Arrays.stream(expected.split(" "))
                        .mapToInt(Integer::parseInt)
                        .toArray());
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = ';',
            value = {
                "42;1000;6772152021861134233;415 61 273 238 20 710 668 382 682 455;640 379 994 807 381 43 208 602 65 373",
                "42;100000;-348537227404738277;99815 40664 59122 42958 5626 23793 99148 36462 72759 43848;"
                        + "64631 38301 38441 81282 38317 4381 20881 60408 6599 37302",
                "1;1000;1870484106815187785;838 819 922 392 730 39 470 874 809 918;298 96 155 65 683 422 436 663 939 604",
                "1;100000;8772154660179309373;87312 19961 22872 74614 10626 65379 41897 11015 73137 91709;"
                        + "30088 9696 15650 6563 68678 42462 43770 66454 94049 60466",
                "0;1000;-8434760770062846355;514 192 648 98 506 69 756 59 961 856;165 889 650 191 288 366 54 654 244 945",
                "0;100000;-8543540459598844691;77974 54379 35911 78222 95378 10607 72282 69732 92618 32666;"
                        + "16733 89709 65528 19242 28946 36757 5434 65594 24496 94519",
            })
    void largeShuffles(long seed, int n, long hash, String first, String last) {
        int[] p = perm(seed, n);
        assertThat(hash(p)).isEqualTo(hash);
        assertThat(Arrays.copyOfRange(p, 0, 10))
                .containsExactly(Arrays.stream(first.split(" "))
                        .mapToInt(Integer::parseInt)
                        .toArray());
        assertThat(Arrays.copyOfRange(p, n - 10, n))
                .containsExactly(Arrays.stream(last.split(" "))
                        .mapToInt(Integer::parseInt)
                        .toArray());
        assertThat(Arrays.stream(p).sorted().toArray())
                .containsExactly(java.util.stream.IntStream.range(0, n).toArray());
    }

    @Test
    void shufflesAList() {
        java.util.List<Integer> l = new java.util.ArrayList<>(java.util.List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9));
        new GoRandom(42).shuffle(l);
        assertThat(l).containsExactly(2, 5, 7, 9, 6, 8, 1, 4, 0, 3);
    }
}
