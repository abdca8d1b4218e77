using System.Runtime.CompilerServices;

// The tests check internal building blocks (IdIndex, OrderTree) directly against simple models.
[assembly: InternalsVisibleTo("Market.Matching.Tests")]
