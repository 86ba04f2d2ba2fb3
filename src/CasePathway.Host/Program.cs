using CasePathway.Host.Cli;

// One executable for the command line and the web app (`serve`).
return await CommandLine.Build().Parse(args).InvokeAsync();
