using System.Collections.Concurrent;
using Microsoft.IdentityModel.Tokens;

namespace CasePathway.Host.Security;

/// <summary>
/// A bearer token's validation, remembered per token string: a feed sends the same token with every request for
/// its half hour, and checking its signature and claims again each time was a large part of a single append's
/// server time. Only successes are remembered, each until the token expires (and never longer than
/// <see cref="MaxAge"/>, so keys an authority has since rotated are consulted again); everything else — an unknown,
/// tampered, expired or not-yet-valid token — goes through the full validation of the handler wrapped. Each request
/// gets its own copy of the identity, since sign-in events may change the claims (<see cref="GroupRoles"/>).
/// </summary>
public sealed class RememberedTokens(TokenHandler inner, TimeProvider? time = null) : TokenHandler
{
    /// <summary>Tokens remembered at most; beyond that, the expired are dropped, then all (the cache is only a shortcut).</summary>
    public const int Capacity = 4096;

    public static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(10);

    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly ConcurrentDictionary<string, Remembered> _validated = new(StringComparer.Ordinal);

    private sealed record Remembered(TokenValidationResult Result, DateTimeOffset Until);

    public TokenHandler Inner => inner;

    public override async Task<TokenValidationResult> ValidateTokenAsync(string token, TokenValidationParameters validationParameters)
    {
        var now = _time.GetUtcNow();
        if (_validated.TryGetValue(token, out var remembered))
        {
            if (now < remembered.Until) return CopyOf(remembered.Result);
            _validated.TryRemove(KeyValuePair.Create(token, remembered));
        }
        var result = await inner.ValidateTokenAsync(token, validationParameters);
        // a token without an expiry is never remembered: it would have nothing to be remembered until
        if (result is { IsValid: true, ClaimsIdentity: not null, SecurityToken: { } validated } && validated.ValidTo > DateTime.MinValue)
        {
            var until = new DateTimeOffset(DateTime.SpecifyKind(validated.ValidTo, DateTimeKind.Utc));
            if (until > now + MaxAge) until = now + MaxAge;
            if (_validated.Count >= Capacity) Trim(now);
            _validated[token] = new Remembered(result, until);
            return CopyOf(result);
        }
        return result;
    }

    public override Task<TokenValidationResult> ValidateTokenAsync(SecurityToken token, TokenValidationParameters validationParameters) =>
        inner.ValidateTokenAsync(token, validationParameters);

    public override SecurityToken ReadToken(string token) => inner.ReadToken(token);

    public override int MaximumTokenSizeInBytes
    {
        get => inner.MaximumTokenSizeInBytes;
        set => inner.MaximumTokenSizeInBytes = value;
    }

    private void Trim(DateTimeOffset now)
    {
        foreach (var entry in _validated)
            if (entry.Value.Until <= now) _validated.TryRemove(entry);
        if (_validated.Count >= Capacity) _validated.Clear();
    }

    private static TokenValidationResult CopyOf(TokenValidationResult result) => new()
    {
        IsValid = true,
        ClaimsIdentity = result.ClaimsIdentity.Clone(),
        SecurityToken = result.SecurityToken,
        TokenType = result.TokenType,
        Issuer = result.Issuer,
        TokenContext = result.TokenContext,
    };
}
