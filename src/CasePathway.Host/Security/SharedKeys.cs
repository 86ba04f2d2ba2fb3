using System.Security.Cryptography;
using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.IdentityModel.Tokens;
using Npgsql;

namespace CasePathway.Host.Security;

/// <summary>
/// The embedded provider's keys, kept in table <c>auth_keys</c>: the first host to start creates each one
/// (insert … on conflict do nothing, then read back), so every host on the database signs and reads with the
/// same keys, and tokens outlive a restart.
/// </summary>
public sealed class SharedKeys
{
    public required RsaSecurityKey Signing { get; init; }
    public required SymmetricSecurityKey Encryption { get; init; }

    /// <summary>The secret of the pages' own OpenID Connect client at the embedded provider.</summary>
    public required string WebClientSecret { get; init; }

    public static async Task<SharedKeys> LoadAsync(NpgsqlDataSource dataSource, CancellationToken ct = default)
    {
        // one read at every start; a key is made (an RSA key pair costs a noticeable part of a start-up's CPU) only
        // by the host that finds it missing
        var stored = await ReadAsync(dataSource, ct);
        var pem = stored.GetValueOrDefault(SigningPurpose) ?? await CreateAsync(dataSource, SigningPurpose, () =>
        {
            using var rsa = RSA.Create(2048);
            return rsa.ExportRSAPrivateKeyPem();
        }, ct);
        var aes = stored.GetValueOrDefault(EncryptionPurpose) ?? await CreateAsync(dataSource, EncryptionPurpose, () => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)), ct);
        var webSecret = stored.GetValueOrDefault(WebClientPurpose) ?? await CreateAsync(dataSource, WebClientPurpose, AccountStore.NewSecret, ct);
        var rsaKey = RSA.Create();
        rsaKey.ImportFromPem(pem);
        return new SharedKeys
        {
            // the key id is derived from the key, so every host names it alike in its JWKS and tokens
            Signing = new RsaSecurityKey(rsaKey) { KeyId = Base64UrlEncoder.Encode(SHA256.HashData(rsaKey.ExportRSAPublicKey()))[..16] },
            Encryption = new SymmetricSecurityKey(Convert.FromBase64String(aes)),
            WebClientSecret = webSecret,
        };
    }

    private const string SigningPurpose = "signing-rsa";
    private const string EncryptionPurpose = "encryption-aes";
    private const string WebClientPurpose = "web-client-secret";

    /// <summary>Keys for a host without a database: they die with the process (no account can sign in there anyway).</summary>
    public static SharedKeys Ephemeral() => new()
    {
        Signing = new RsaSecurityKey(RSA.Create(2048)) { KeyId = Guid.NewGuid().ToString("N")[..16] },
        Encryption = new SymmetricSecurityKey(RandomNumberGenerator.GetBytes(32)),
        WebClientSecret = AccountStore.NewSecret(),
    };

    private static async Task<Dictionary<string, string>> ReadAsync(NpgsqlDataSource dataSource, CancellationToken ct)
    {
        await using var select = dataSource.CreateCommand("select purpose, material from auth_keys where purpose = any($1)");
        select.Parameters.Add(new() { Value = new[] { SigningPurpose, EncryptionPurpose, WebClientPurpose } });
        var stored = new Dictionary<string, string>(StringComparer.Ordinal);
        await using var reader = await select.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) stored[reader.GetString(0)] = reader.GetString(1);
        return stored;
    }

    /// <summary>Stores a new key unless another host stored one first, and answers the one stored.</summary>
    private static async Task<string> CreateAsync(NpgsqlDataSource dataSource, string purpose, Func<string> create, CancellationToken ct)
    {
        await using (var insert = dataSource.CreateCommand("insert into auth_keys (purpose, material) values ($1, $2) on conflict do nothing"))
        {
            insert.Parameters.Add(new() { Value = purpose });
            insert.Parameters.Add(new() { Value = create() });
            await insert.ExecuteNonQueryAsync(ct);
        }
        await using var select = dataSource.CreateCommand("select material from auth_keys where purpose = $1");
        select.Parameters.Add(new() { Value = purpose });
        return (string)(await select.ExecuteScalarAsync(ct))!;
    }
}

/// <summary>ASP.NET Core's data protection key ring in table <c>data_protection_keys</c>: cookies and antiforgery tokens from one host are read by all.</summary>
public sealed class DatabaseXmlRepository(NpgsqlDataSource dataSource) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        using var cmd = dataSource.CreateCommand("select xml from data_protection_keys order by created_at");
        using var reader = cmd.ExecuteReader();
        var list = new List<XElement>();
        while (reader.Read()) list.Add(XElement.Parse(reader.GetString(0)));
        return list;
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        using var cmd = dataSource.CreateCommand("insert into data_protection_keys (name, xml) values ($1, $2) on conflict do nothing");
        cmd.Parameters.Add(new() { Value = friendlyName });
        cmd.Parameters.Add(new() { Value = element.ToString(SaveOptions.DisableFormatting) });
        cmd.ExecuteNonQuery();
    }
}
