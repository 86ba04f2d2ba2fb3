using CsCheck;

namespace CasePathway.Tests.Shared;

/// <summary>
/// What the property-based fuzz tests share (linked into each test project). They run a few hundred cases
/// each so that <c>ops/test</c> stays quick; <c>CASEPATHWAY_FUZZ_ITER=100000 ops/test</c> runs them longer,
/// and <c>CASEPATHWAY_FUZZ_SEED</c> replays the seed a failure printed.
/// </summary>
internal static class Fuzz
{
    public static int Iterations(int quick) =>
        int.TryParse(Environment.GetEnvironmentVariable("CASEPATHWAY_FUZZ_ITER"), out var n) && n > 0 ? n : quick;

    public static string? Seed => Environment.GetEnvironmentVariable("CASEPATHWAY_FUZZ_SEED") is { Length: > 0 } s ? s : null;

    /// <summary>Any UTF-16 code unit: NUL, controls, lone surrogates and all.</summary>
    public static readonly Gen<char> AnyChar = Gen.Char[(char)0, (char)0xFFFF];

    /// <summary>The characters that break things most often, weighted up.</summary>
    public static readonly Gen<char> NastyChar = Gen.Char["\0\t\r\n\u001b\"\\/?#%. =+-@{}[],:\ud800\udc00\u2028\uFEFF\uFFFFé"];

    public static readonly Gen<char> SomeChar = Either((1, AnyChar), (1, NastyChar), (2, Gen.Char['a', 'z']));

    public static readonly Gen<string> Text = Either(
        (3, Gen.Char['a', 'z'].Array[0, 12].Select(a => new string(a))),
        (2, SomeChar.Array[0, 20].Select(a => new string(a))),
        (1, Gen.Int[60, 1100].Select(n => new string('x', n))));

    /// <summary>One of the generators, by weight (CsCheck's own overloads would take a generator for a value).</summary>
    public static Gen<T> Either<T>(params (int Weight, Gen<T> Gen)[] choices)
    {
        var total = choices.Sum(c => c.Weight);
        return Gen.Int[0, total - 1].SelectMany(pick =>
        {
            foreach (var (weight, gen) in choices)
            {
                if (pick < weight) return gen;
                pick -= weight;
            }
            return choices[^1].Gen;
        });
    }

    /// <summary>Mutations of a valid text: a character inserted, replaced or deleted, a span cut or repeated.</summary>
    public static Gen<string> Mutated(string valid) =>
        Gen.Int[1, 4].SelectMany(count => Mutation(valid.Length).Array[count]).Select(ms => ms.Aggregate(valid, (s, m) => m(s)));

    private static Gen<Func<string, string>> Mutation(int length) => Either(
        (3, Gen.Select(Gen.Int[0, length], SomeChar, (at, c) => (Func<string, string>)(s => s.Insert(Math.Min(at, s.Length), c.ToString())))),
        (3, Gen.Select(Gen.Int[0, length], SomeChar, (at, c) => (Func<string, string>)(s => s.Length == 0 ? s : s.Remove(Math.Min(at, s.Length - 1), 1).Insert(Math.Min(at, s.Length - 1), c.ToString())))),
        (2, Gen.Select(Gen.Int[0, length], Gen.Int[1, 20], (at, n) => (Func<string, string>)(s => at >= s.Length ? s : s.Remove(at, Math.Min(n, s.Length - at))))),
        (1, Gen.Select(Gen.Int[0, length], Gen.Int[1, 30], (at, n) => (Func<string, string>)(s => at >= s.Length ? s : s.Insert(at, s.Substring(at, Math.Min(n, s.Length - at)))))));
}
