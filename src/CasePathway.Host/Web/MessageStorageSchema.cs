using CasePathway.Host.Runtime;
using CasePathway.Store.Schema;
using JasperFx;
using Npgsql;
using Weasel.Core.Migrations;
using Wolverine;
using Wolverine.Runtime;

namespace CasePathway.Host.Web;

/// <summary>
/// Wolverine's message storage schema, checked in full only when it may have changed: before Wolverine starts, its
/// storage's fingerprint (<see cref="SchemaFingerprint"/>) is compared with the one recorded at the last successful
/// apply; when current, Wolverine is told not to diff its schema (it still reads each of its tables once, and fails
/// the start if one is missing); otherwise Wolverine migrates as it always did and, once every host has started, the
/// new fingerprint is recorded. Registered before Wolverine, so its <see cref="StartingAsync"/> runs first.
/// </summary>
public sealed class MessageStorageSchema(IServiceProvider services, CasePathwayRuntime runtime, ILogger<MessageStorageSchema> logger) : IHostedLifecycleService
{
    private string? pending;

    /// <summary>Whether this start let Wolverine apply its schema (false: the fingerprint was current), once started.</summary>
    public bool? Applied { get; private set; }

    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        var wolverine = services.GetRequiredService<IWolverineRuntime>();
        if (wolverine.Storage is not DatabaseBase<NpgsqlConnection> storage) return;
        pending = await SchemaFingerprint.ToApplyAsync(storage, runtime.DataSource, SchemaFingerprint.Wolverine, cancellationToken);
        if (pending is null)
        {
            wolverine.Options.AutoBuildMessageStorageOnStartup = AutoCreate.None;
            Applied = false;
            logger.LogInformation("Wolverine's message storage matches the schema recorded at its last apply: not checked again");
        }
        else wolverine.Options.AutoBuildMessageStorageOnStartup = AutoCreate.CreateOrUpdate;
    }

    public async Task StartedAsync(CancellationToken cancellationToken)
    {
        // Wolverine has started, so its migration succeeded
        if (pending is null) return;
        await SchemaFingerprint.RecordAsync(runtime.DataSource, SchemaFingerprint.Wolverine, pending, cancellationToken);
        pending = null;
        Applied = true;
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
