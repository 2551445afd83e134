using CareLedger.Node;

return await NodeApp.RunAsync(args);
