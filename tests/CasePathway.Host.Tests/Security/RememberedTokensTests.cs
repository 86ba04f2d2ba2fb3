using System.Security.Claims;
using System.Security.Cryptography;
using CasePathway.Host.Security;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace CasePathway.Host.Tests.Security;

/// <summary>
/// The bearer token cache: a token's full validation (signature, issuer, audience, lifetime) runs once, and again
/// once the token has expired or been remembered for <see cref="RememberedTokens.MaxAge"/>; failures are never
/// remembered; each request gets an identity of its own. The server-level refusals (expired, tampered, foreign
/// key) are in <see cref="AccessTests"/>.
/// </summary>
public sealed class RememberedTokensTests
{
    private static readonly RsaSecurityKey Key = new(RSA.Create(2048)) { KeyId = "k1" };

    private static readonly TokenValidationParameters Parameters = new()
    {
        ValidIssuer = "http://127.0.0.1/",
        ValidAudience = "casepathway",
        IssuerSigningKey = Key,
        ClockSkew = TimeSpan.Zero,
    };

    private static string Mint(DateTime expires) => new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
    {
        Issuer = "http://127.0.0.1/",
        Audience = "casepathway",
        NotBefore = DateTime.UtcNow.AddMinutes(-1),
        IssuedAt = DateTime.UtcNow.AddMinutes(-1),
        Expires = expires,
        Subject = new ClaimsIdentity([new Claim("sub", "feed-1"), new Claim("role", "feed"), new Claim("council", "A")]),
        SigningCredentials = new SigningCredentials(Key, SecurityAlgorithms.RsaSha256),
    });

    [Fact]
    public async Task A_valid_token_is_checked_once_and_each_request_gets_its_own_identity()
    {
        var (handler, inner, _) = Make();
        var token = Mint(DateTime.UtcNow.AddMinutes(30));
        var first = await handler.ValidateTokenAsync(token, Parameters);
        var second = await handler.ValidateTokenAsync(token, Parameters);
        first.IsValid.ShouldBeTrue();
        second.IsValid.ShouldBeTrue();
        inner.Calls.ShouldBe(1);
        second.ClaimsIdentity.ShouldNotBeSameAs(first.ClaimsIdentity, "sign-in events may change a request's claims");
        second.ClaimsIdentity.FindFirst("council")!.Value.ShouldBe("A");
        first.ClaimsIdentity.AddClaim(new Claim("council", "B"));
        (await handler.ValidateTokenAsync(token, Parameters)).ClaimsIdentity.FindAll("council").Select(c => c.Value).ShouldBe(["A"], "one request's change is not the next one's");
    }

    [Fact]
    public async Task A_remembered_token_is_checked_again_once_it_has_expired()
    {
        var (handler, inner, time) = Make();
        var expires = DateTime.UtcNow.AddMinutes(5);
        var token = Mint(expires);
        (await handler.ValidateTokenAsync(token, Parameters)).IsValid.ShouldBeTrue();
        time.Now = new DateTimeOffset(expires).AddSeconds(-1);
        (await handler.ValidateTokenAsync(token, Parameters)).IsValid.ShouldBeTrue();
        inner.Calls.ShouldBe(1);
        time.Now = new DateTimeOffset(expires).AddSeconds(1);
        await handler.ValidateTokenAsync(token, Parameters);
        inner.Calls.ShouldBe(2, "past its expiry the token goes through the full validation again");
    }

    [Fact]
    public async Task A_long_lived_token_is_remembered_for_at_most_the_maximum_age()
    {
        var (handler, inner, time) = Make();
        var token = Mint(DateTime.UtcNow.AddHours(8));
        await handler.ValidateTokenAsync(token, Parameters);
        time.Now += RememberedTokens.MaxAge - TimeSpan.FromSeconds(1);
        await handler.ValidateTokenAsync(token, Parameters);
        inner.Calls.ShouldBe(1);
        time.Now += TimeSpan.FromSeconds(2);
        await handler.ValidateTokenAsync(token, Parameters);
        inner.Calls.ShouldBe(2);
    }

    [Fact]
    public async Task Refused_tokens_are_never_remembered()
    {
        var (handler, inner, _) = Make();
        var good = Mint(DateTime.UtcNow.AddMinutes(30));
        (await handler.ValidateTokenAsync(good, Parameters)).IsValid.ShouldBeTrue();
        var parts = good.Split('.');
        var tampered = parts[0] + "." + Base64UrlEncoder.Encode(Base64UrlEncoder.Decode(parts[1]).Replace("\"A\"", "\"B\"")) + "." + parts[2];
        (await handler.ValidateTokenAsync(tampered, Parameters)).IsValid.ShouldBeFalse();
        (await handler.ValidateTokenAsync(tampered, Parameters)).IsValid.ShouldBeFalse();
        var expired = Mint(DateTime.UtcNow.AddSeconds(-5));
        (await handler.ValidateTokenAsync(expired, Parameters)).IsValid.ShouldBeFalse();
        inner.Calls.ShouldBe(4, "each refusal is a full validation");
    }

    private static (RememberedTokens Handler, CountingHandler Inner, ManualTime Time) Make()
    {
        var inner = new CountingHandler();
        var time = new ManualTime { Now = DateTimeOffset.UtcNow };
        return (new RememberedTokens(inner, time), inner, time);
    }

    private sealed class CountingHandler : TokenHandler
    {
        private readonly JsonWebTokenHandler _real = new() { MapInboundClaims = false };
        public int Calls;

        public override Task<TokenValidationResult> ValidateTokenAsync(string token, TokenValidationParameters validationParameters)
        {
            Interlocked.Increment(ref Calls);
            return _real.ValidateTokenAsync(token, validationParameters);
        }
    }

    private sealed class ManualTime : TimeProvider
    {
        public DateTimeOffset Now;
        public override DateTimeOffset GetUtcNow() => Now;
    }
}
