package org.jiesu.knowledge;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.jiesu.knowledge.KnowledgeRepository.Bounds;
import org.jiesu.knowledge.KnowledgeRepository.Candidate;
import org.junit.jupiter.api.Test;

/** The order in which the title-and-tag step reaches its candidates: best bound first, then the newest. */
class BoundsTest {

  private static final Instant T = Instant.parse("2026-03-01T00:00:00Z");

  private static Candidate at(String name, int bound, int secondsAgo) {
    // the place by recency, as ArticleHeads numbers it: the newer, the smaller
    return new Candidate(UUID.nameUUIDFromBytes(name.getBytes()), T.minusSeconds(secondsAgo), secondsAgo, 0, bound, false);
  }

  private static List<String> drain(Bounds bounds, List<Candidate> all) {
    List<String> out = new ArrayList<>();
    for (Candidate c = bounds.peek(); c != null; c = bounds.peek()) {
      Candidate taken = bounds.next();
      out.add(name(taken, all) + taken.bound());
    }
    return out;
  }

  private static String name(Candidate c, List<Candidate> all) {
    return String.valueOf((char) ('a' + all.indexOf(all.stream().filter(x -> x.id().equals(c.id())).findFirst().get())));
  }

  @Test
  void theBestBoundComesFirstAndTheNewestWithinIt() {
    List<Candidate> all = List.of(at("a", 5, 30), at("b", 7, 10), at("c", 5, 10), at("d", 7, 20), at("e", 2, 0));
    assertThat(drain(new Bounds(all), all)).containsExactly("b7", "d7", "c5", "a5", "e2");
  }

  @Test
  void aCandidateAddedBackIntoTheBoundBeingReachedTakesItsPlaceAmongWhatIsLeft() {
    List<Candidate> all = List.of(at("a", 6, 5), at("b", 5, 10), at("c", 5, 30), at("d", 5, 1));
    Bounds bounds = new Bounds(all.subList(0, 3));
    assertThat(bounds.next().bound()).isEqualTo(6);
    assertThat(bounds.next().id()).isEqualTo(all.get(1).id()); // b, the newer of bound 5
    bounds.add(all.get(3)); // d: bound 5, newer than c, which is still to come
    assertThat(drain(bounds, all)).containsExactly("d5", "c5");
  }

  @Test
  void aCandidateAddedBackAfterItsBoundWasUsedUpIsStillReached() {
    List<Candidate> all = List.of(at("a", 6, 5), at("b", 5, 10), at("c", 5, 30), at("d", 4, 1));
    Bounds bounds = new Bounds(all.subList(0, 3));
    bounds.next();
    bounds.next();
    bounds.next(); // bound 5 used up
    bounds.add(new Candidate(all.get(0).id(), all.get(0).updatedAt(), all.get(0).recency(), 0, 5, true)); // a again, one lower
    bounds.add(all.get(3));
    assertThat(drain(bounds, all)).containsExactly("a5", "d4");
    assertThat(bounds.peek()).isNull();
  }

  /** A batch may reach past several bounds: one of its candidates goes back above the bound now being reached. */
  @Test
  void aCandidateAddedBackAboveTheBoundBeingReachedComesFirst() {
    List<Candidate> all = List.of(at("a", 6, 5), at("b", 5, 10), at("c", 4, 30));
    Bounds bounds = new Bounds(all);
    bounds.next();
    bounds.next();
    bounds.next(); // the batch took a, b and c; bound 4 is used up
    bounds.add(new Candidate(all.get(0).id(), all.get(0).updatedAt(), all.get(0).recency(), 0, 5, true));
    assertThat(drain(bounds, all)).containsExactly("a5");
  }
}
