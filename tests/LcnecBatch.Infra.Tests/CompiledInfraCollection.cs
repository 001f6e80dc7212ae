namespace LcnecBatch.Infra.Tests;

/// <summary>The tests over the compiled template share one compilation.</summary>
[CollectionDefinition(Name)]
public sealed class CompiledInfraCollection : ICollectionFixture<CompiledInfra>
{
    public const string Name = "compiled infra";
}
