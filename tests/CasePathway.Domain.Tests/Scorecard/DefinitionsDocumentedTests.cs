using CasePathway.Domain.Scorecard;
using CasePathway.Testing;

namespace CasePathway.Domain.Tests.Scorecard;

/// <summary>docs/scorecard.md and the definitions in the output are the same words.</summary>
public class DefinitionsDocumentedTests
{
    [Fact]
    public void Every_definition_is_in_the_docs_word_for_word()
    {
        var docs = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "docs", "scorecard.md"));
        foreach (var indicator in Indicators.All)
        {
            docs.ShouldContain($"### {indicator.Id} — {indicator.Title}", Case.Sensitive);
            docs.ShouldContain(indicator.Definition, Case.Sensitive, $"{indicator.Id}'s definition differs from docs/scorecard.md");
        }
    }
}
