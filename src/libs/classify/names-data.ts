// Data module: common US given names and surnames, lower case, space-separated.
// Compiled from memory of the public-domain US Census Bureau surname frequency list (2010) and the
// Social Security Administration's popular baby names; not exhaustive, not ranked. Used only as a
// detector signal (a hit raises confidence that a column holds names); a miss proves nothing.

/** Common US given names (female and male). */
export const FIRST_NAMES = `
mary patricia jennifer linda elizabeth barbara susan jessica sarah karen lisa nancy betty margaret sandra ashley
kimberly emily donna michelle carol amanda dorothy melissa deborah stephanie rebecca sharon laura cynthia kathleen amy
angela shirley anna brenda pamela emma nicole helen samantha katherine christine debra rachel carolyn janet catherine
maria heather diane ruth julie olivia joyce virginia victoria kelly lauren christina joan evelyn judith megan andrea
cheryl hannah jacqueline martha gloria teresa ann sara madison frances kathryn janice jean abigail alice judy sophia
grace denise amber doris marilyn danielle beverly isabella theresa diana natalie brittany charlotte marie kayla alexis
lori tiffany rose tammy jane irene julia lillian ellen kathy norma paula nora gina leah alicia annie anita wanda peggy
crystal lois phyllis rita florence edna june ethel thelma clara lucille mildred josephine gladys bernice ruby hazel
agnes geraldine marjorie vera pearl minnie bertha myrtle lena eva elsie ida viola sylvia mabel alma marian juanita
eleanor esther dolores carmen yolanda rosa veronica monica erica erin tara dawn holly april jill kristen melanie
vanessa stacy wendy carrie tracy tanya sheila renee valerie jamie joanne joann regina sherry caroline jasmine brianna
destiny taylor morgan haley sydney alyssa kaitlyn jenna chloe ava mia ella avery sofia scarlett aria layla zoe
penelope riley lily aurora violet savannah audrey brooklyn bella claire skylar lucy paisley everly nova genesis emilia
kennedy maya willow kinsley naomi aaliyah elena ariana allison gabriella madelyn cora serenity autumn adeline hailey
gianna valentina isla eliana quinn nevaeh ivy sadie piper lydia alexa emery delilah arianna vivian kaylee sophie
brielle madeline peyton rylee hadley mackenzie reagan adalynn liliana aubree jade isabelle natalia raelynn athena
ximena arya leilani faith kylie alexandra lyla amaya eliza bailey khloe melody iris isabel norah annabelle valeria
emerson adalyn ryleigh eden emersyn anastasia juliana charlie ariel cecilia alina molly reese aliyah lilly parker
finley jordyn eloise trinity daisy genevieve arabella harmony elise remi teagan london sloane laila lucia juliette
sienna elliana londyn ayla callie gracie josie amara jocelyn daniela everleigh mya summer alana brooke alaina mckenzie
amelia harper mila camila luna gabriela rosalie lola kendall mckenna yesenia guadalupe lupe rosario consuelo esperanza
marisol maribel araceli leticia blanca silvia beatriz alejandra adriana lorena graciela fernanda mariana paola renata
jimena james robert john michael david william richard joseph thomas christopher charles daniel matthew anthony mark
donald steven andrew paul joshua kenneth kevin brian george timothy ronald jason edward jeffrey ryan jacob gary
nicholas eric jonathan stephen larry justin scott brandon benjamin samuel gregory alexander patrick frank raymond jack
dennis jerry tyler aaron jose adam nathan henry zachary douglas peter kyle noah ethan jeremy walter christian keith
roger terry austin sean gerald carl harold dylan arthur lawrence jordan jesse bryan billy bruce gabriel joe logan alan
juan albert willie elijah wayne randy vincent mason roy ralph bobby russell bradley philip eugene liam oliver lucas
levi sebastian mateo jackson owen luke grayson isaac jayden theodore caleb asher leo hudson wyatt ezra hunter carter
julian maverick lincoln josiah miles jaxon nolan adrian cameron angel colton greyson santiago easton eli everett jace
rowan weston kai axel bennett brayden jameson nathaniel ian carson cooper declan ryder silas jonah damian emmett roman
micah xavier luca kingston harrison ezekiel waylon chase giovanni sawyer jaxson bryson beau enzo diego evan brooks
legend kayden tristan atlas ivan dominic river bentley milo luis jesus alex myles jude calvin rhett zion graham archer
max karter lorenzo hayden knox ashton barrett tucker zane jasper jax finn emmanuel carlos antonio victor hector manuel
francisco miguel rafael fernando jorge ricardo eduardo roberto pedro sergio alejandro javier marco mario ruben ramon
oscar armando arturo alfredo enrique cesar raul salvador guillermo rodrigo andres emilio pablo ignacio fred harry
howard earl jimmy johnny clarence ernest leonard stanley herbert melvin lloyd leroy alfred sam norman glenn gordon
dale allen marvin curtis clifford chester francis lewis leon warren nelson floyd cecil lester vernon herman homer otis
elmer hubert morris wilbur virgil clyde luther sidney milton bernard edwin glen marion maurice troy derek shawn travis
shane casey corey chad brett darren todd marcus derrick dustin cody tony lance jared grant tanner garrett wesley devin
dalton colby jeffery brent trevor spencer mitchell clayton reggie terrence darnell jamal tyrone andre lamar malik
darius deandre jermaine dwayne cedric reginald marquis demetrius devonte tremaine kwame jamar rashad kareem dante omar
ali ahmed mohammed muhammad hassan hussein ibrahim yusuf khalid tariq amir wei li jun hui ying ming lei hao jie yan
chen min xin yu mei ling hong raj priya anil sunil rahul amit vijay ravi deepak sanjay arjun krishna lakshmi anjali
neha pooja kavya divya aditya rohan vikram hiroshi takeshi yuki kenji akira haruto sora yuto ren minh anh linh thanh
duc hung tuan nguyen sung jin hyun soo young ji ho abby ada addison adele adrienne agatha aileen aimee aisha alberta
alexandria alfreda alisha alison allie alondra althea alva amalia amani amelie amira ana anabel anastacia angelica
angelina angie anika anissa annabel annette annmarie antoinette antonia arlene ashlee ashleigh ashlyn astrid aubrey
audra augusta aurelia ayanna babette bambi beatrice becky belinda bernadette bernadine berta beth bethany betsy bettie
beulah bianca billie blair blanche bobbie bonita bonnie brandi brandy breanna bridget britney brittney caitlin camille
candace candice cara carla carlene carly carmela carole carolina casandra cassandra cassidy cassie catalina cathy
cecelia cecile celeste celia celina chandra charity charlene charmaine chelsea cheri cherie chiquita chris christa
christi christie christy ciara cindy claudette claudia colette colleen concepcion connie constance corinne courtney
cristina dakota dana daphne darla darlene dayna deana deanna debbie deidre deirdre delia della delores dena desiree
dianna dina dionne dixie dominique dona dora doreen dorothea dorthy dottie earline ebony edith edwina eileen elaine
elba ellie elva elvira erika erma ernestine essie estela estella estelle eugenia eula eunice eve evangeline faye
felicia fern flora francine freda frieda gabrielle gail gay gayle georgia georgina geneva gertrude gilda ginger glenda
gretchen gwen gwendolyn hallie harriet hattie heidi helena henrietta hilda hillary hollie hope imelda imogene inez
ingrid irma iva jackie jaclyn jacquelyn jami jana janell janelle janette janie janine janis jeanette jeanie jeanne
jeannette jeannie jenifer jenny jewel joanna jodi jody johanna johnnie jolene joni josefina joy juana julianne juliet
justine kara karin karla kate katelyn katharine kathie kathrine katie katrina kay keisha kelli kellie kendra kenya
keri kerri kerry kim kimberley kirsten krista kristi kristie kristin kristina kristine kristy krystal lacey lakeisha
lakisha latasha latisha latonya latoya laurel lauri laurie laverne lea leanne leigh lela lenora leona leola leslie
lila lilia lillie lindsay lindsey liz liza lizzie lolita lora loraine loretta lorene lorna lorraine louisa louise
lucinda luella luisa lula luz lynda lynette lynn lynne mable madeleine mae maggie mamie mandy marcella marci marcia
marcie margarita margie margo marguerite mari mariah marianne marina marisa marissa marla marlene marsha marta matilda
mattie maureen maxine may meagan meghan melba melinda mercedes meredith merle michele millie mindy miranda miriam
misty mollie mona muriel myra myrna nadia nadine nanette natasha nellie nettie nichole nikki nina noemi nola noreen
odessa ofelia olga olive opal ora paige pam patsy patti patty paulette pauline penny petra philippa polly priscilla
queen rachael rae ramona raquel rebekah reba rena rene rhonda roberta robin robyn rochelle rosalind rosalyn rosemarie
rosemary rosetta rosie rowena roxanne roxie rubye sabrina sallie sally sandy santa selena selma serena shana shanna
shannon shari sharlene shauna shawna shelby shelia shelley shelly sheri sherri sherrie sheryl sierra simone socorro
sondra sonia sonja sonya stacey staci stacie stella sue susana susanne susie suzanne suzette tabitha tamara tameka
tamika tammie tamra tania tanisha tasha tatiana terra terri terrie tessa therese tina toni tonia tonya tracey traci
tracie tricia trina trisha trudy twila ursula valarie velma verna vicki vickie vicky vilma virgie wendi whitney wilda
willa wilma winifred yvette yvonne zelda zella zoila abe abraham abram adolfo adolph agustin al alberto alden aldo
alec alfonso alonzo alphonso alton alvin amado ambrose amos anderson andy angelo anibal antoine anton antwan archie
ari arnold arnulfo art augustine augustus aurelio barry bart basil ben benito benny bernardo bert bill blaine bob boyd
brad bradford brady brant brendan brenton brock broderick bruno bryant buck bud buddy burton byron carey carlo carlton
carmelo carroll cary chadwick charley chauncey chuck clair claude clay clement cleo cleveland cliff clifton clint
clinton cole coleman conrad cornelius craig cruz curt dallas damon dan dane danny darin dario darrel darrell darrin
darryl daryl dave davis dean delbert dell delmar demarcus denis denny desmond dewey dexter dick dino dirk dominick don
donnell donnie donovan dorian doug doyle drew duane dudley dusty dwight earnest ed eddie edgar edmond edmund efrain
elbert eldon elias elliot elliott ellis elton elvin elvis emanuel emil emile ervin erwin esteban federico felipe felix
ferdinand fidel forrest foster frankie franklin freddie frederick gale galen garland garry garth gavin gene geoffrey
gerard gerardo gil gilbert gilberto grady greg grover gus gustavo guy hal hank hans harlan harley harris harvey heath
heriberto hiram hollis horace houston hugh hugo humberto ira irving irwin isaiah isidro ismael israel jacques jaime
jake jan jarrod jarvis jay jeff jefferson jerald jeremiah jerome jess jessie jim joel joey johnathan jon jonas
jonathon josue jules julio julius junior karl ken kendrick kenny kent kermit kirk kris kurt lamont lane laurence lee
lemuel lenny leonardo les lionel lon lonnie loren lou louie louis lowell loyd lucian luciano luigi lyle lyman mack
malcolm marc marcel marcos marlin marshall martin marty mathew maximo maxwell mckinley mel merrill michel mickey mike
mitch mohamed monroe monte moses murray myron nathanael ned neil nestor nick nicolas noel norbert norris octavio odell
ollie orlando orville osvaldo otto pat percy perry pete phil pierre porter preston quentin quincy ramiro randal
randall randolph reuben rex rey reynaldo rich richie rick rickey ricky rigoberto rob robbie rocco rod roderick rodney
rogelio roland rolando rolf ron ronnie rory ross royce rudolph rudy rufus rupert russ russel salvatore sammy santos
saul scot scottie seth seymour sheldon sherman sid simon sol solomon sonny stan stefan sterling steve stevie stewart
stuart sylvester ted teddy terence terrance thad thaddeus theo thurman tim timmy toby tom tomas tommie tommy trent
truman ty tyrell tyson ulysses val van vance vaughn vern vicente vince wade waldo wallace walt ward wendell wilbert
wiley wilfred wilfredo will willard williams wilson winston wm woodrow zachariah zackary
`;

/** Common US surnames. */
export const LAST_NAMES = `
smith johnson williams brown jones garcia miller davis rodriguez martinez hernandez lopez gonzalez wilson anderson
thomas taylor moore jackson martin lee perez thompson white harris sanchez clark ramirez lewis robinson walker young
allen king wright scott torres nguyen hill flores green adams nelson baker hall rivera campbell mitchell carter
roberts gomez phillips evans turner diaz parker cruz edwards collins reyes stewart morris morales murphy cook rogers
gutierrez ortiz morgan cooper peterson bailey reed kelly howard ramos kim cox ward richardson watson brooks chavez
james bennett gray mendoza ruiz hughes price alvarez castillo sanders patel myers long ross foster jimenez powell
jenkins perry russell sullivan bell coleman butler henderson barnes gonzales fisher vasquez simmons romero jordan
patterson alexander hamilton graham reynolds griffin wallace moreno west cole hayes bryant herrera gibson ellis tran
medina aguilar stevens murray ford castro marshall owens harrison fernandez mcdonald washington kennedy wells vargas
henry chen freeman webb tucker guzman burns crawford olson simpson porter hunter gordon mendez silva shaw snyder mason
dixon munoz hunt hicks holmes palmer wagner black robertson boyd salazar fox warren mills meyer rice schmidt garza
daniels ferguson nichols stephens soto weaver ryan gardner payne grant dunn kelley spencer hawkins arnold pierce
vazquez hansen peters santos hart bradley knight elliott cunningham duncan armstrong hudson carroll lane riley andrews
alvarado ray delgado berry perkins hoffman johnston matthews pena richards contreras willis carpenter lawrence
sandoval guerrero george chapman rios estrada ortega watkins greene nunez wheeler valdez harper burke larson santiago
maldonado morrison franklin carlson austin dominguez carr lawson jacobs obrien lynch singh vega bishop montgomery
oliver jensen harvey williamson gilbert dean sims espinoza howell li wong reid hanson le mccoy garrett burton fuller
wang weber welch rojas lucas marquez park yang little banks padilla day walsh bowman schultz luna fowler mejia
davidson acosta brewer may holland juarez newman pearson curtis cortez douglas schneider joseph barrett navarro
figueroa keller avila wade molina stanley hopkins campos barnett bates chambers caldwell beck lambert miranda byrd
craig ayala lowe frazier powers neal leonard gregory carrillo sutton fleming rhodes shelton schwartz norris jennings
watts duran walters cohen mcdaniel moran parks steele vaughn becker holt deleon barker terry hale leon hail benson
haynes horton miles lyons pham graves bush thornton wolfe warner cabrera mckinney mann zimmerman dawson lara fletcher
page mccarthy love robles cervantes solis erickson reeves chang klein salinas fuentes baldwin daniel simon velasquez
hardy higgins aguirre lin cummings chandler sharp barber bowen ochoa dennis robbins liu ramsey francis griffith paul
blair oconnor cardenas pacheco cross calderon quinn moss swanson chan rivas khan rodgers serrano fitzgerald rosales
stevenson christensen manning gill curry mclaughlin harmon mcgee gross doyle garner newton burgess reese walton blake
trujillo adkins brady goodman roman webster goodwin fischer huang potter delacruz montoya todd wu hines mullins
castaneda malone cannon tate mack sherman hubbard hodges zhang guerra wolf valencia saunders franco rowe gallagher
farmer hammond hampton townsend ingram gallegos clarke barton schroeder maxwell waters logan camacho strickland norman
person colon parsons frank harrington glover osborne buchanan casey floyd patton ibarra tyler suarez bowers orozco
salas cobb gibbs andrade bauer conner moody escobar mcguire lloyd mueller hartman french kramer mcbride pope lindsey
velazquez norton mccormick sparks flynn yates hogan marsh macias villanueva zamora pratt stokes owen ballard lang
brock villarreal charles drake barrera cain patrick pineda burnett mercado santana shepherd bautista ali shaffer lamb
trevino mckenzie hess beil olsen cochran morton nash wilkins petersen briggs shah roth nicholson holloway lozano
rangel flowers hoover arias mora valenzuela bryan meyers weiss underwood bass greer summers houston carson morrow
clayton whitaker decker yoder collier zuniga carey wilcox melendez poole roberson larsen conley davenport copeland
massey lam huff rocha cameron jefferson hood monroe anthony pittman huynh randall singleton kirk combs mathis
christian skinner bradford richard galvan wall boone kirby wilkinson bridges bruce atkinson velez meza roy vincent
york hodge villa abbott allison tapia gates chase sosa sweeney farrell wyatt dalton horn barron phelps yu dickerson
heath foley atkins mathews bonilla acevedo benitez zavala hensley glenn cisneros harrell shields rubio huffman choi
boyer garrison arroyo bond kane hancock callahan dillon cline wiggins grimes arellano melton oneill savage ho beltran
pitts parrish ponce booth koch golden ware brennan mcdowell marks cantu humphrey baxter sawyer clay tanner hutchinson
kaur berg wiley gilmore russo villegas hobbs keith wilkerson ahmed beard mcclain montes mata rosario vang walter
henson oneal mosley mcclure beasley stephenson huerta preston vance barry johns eaton blackwell dyer prince macdonald
solomon guevara stafford english hurst woodard cortes shannon kemp nolan mccullough merritt murillo moon salgado kline
cordova barajas roach rosas jacobson lester knox bullock kerr leach meadows orr davila whitehead pruitt kent conway
mckee barr david dejesus marin berger mcintyre blankenship gaines palacios cuevas bartlett durham dorsey mccall
odonnell stein browning stout lowery sloan mclean hendricks calhoun sexton chung gentry hull duarte ellison nielsen
gillespie buck middleton sellers leblanc esparza hardin bradshaw mcintosh howe livingston frost glass morse knapp
herman stark bravo spears weeks corona frederick buckley mcfarland hebert enriquez hickman quintero randolph schaefer
walls trejo reilly pennington michael conrad giles benjamin crosby fitzpatrick donovan mays mahoney valentine raymond
medrano hahn mcmillan bentley felix peck lucero boyle hanna pace rush hurley harding mcconnell bernal nava ayers
everett ventura avery pugh mayer bender shepard mcmahon landry sampson moses magana blackburn dunlap gould duffy
vaughan herring mckay espinosa rivers farley bernard ashley friedman potts truong costa correa blevins nixon clements
fry delarosa benton lugo portillo dougherty crane haley phan villalobos blanchard horne finley quintana lynn esquivel
bean dodson mullen xiong hayden cano levy huber richmond moyer lim frye sheppard mccarty avalos booker waller parra
woodward jaramillo krueger rasmussen brandt peralta donaldson stuart faulkner maynard galindo coffey estes sanford
burch maddox vo oconnell vu andersen spence mcpherson church schmitt stanton leal cherry compton dudley sierra pollard
alfaro hester proctor lu hinton novak madden mccann terrell jarvis dickson reyna cantrell mayo branch hendrix rollins
rowland whitney duke odom daugherty travis tang archer abernathy ackerman adair addison agee aiken akers albers alcorn
alder alford alger allard allman alston alvey ames amos anders andrus angel ankrom anson appleby archuleta arevalo
armijo arndt arnett arriaga arsenault asher ashby ashcraft ashworth atwood augustine ault ausmus avent babcock bach
bacon badger bagley baird bales balogh bancroft bankston barbee barbour barclay barela barfield barksdale barlow
barnard barnhart barrientos barrow bartels bartholomew bartley bateman batista battle baugh baum baumann bayer beach
beal beale beam bearden beatty beaty beaudoin beaulieu beaver bechtel beckett beckman bedford beebe beecher belanger
belcher bellamy beltz benavides benner bennington benoit bentz berryman bertram betancourt betts bevins bier bigelow
biggs billings bingham binkley birch bischoff bivens bixler blackman blackmon blackstone blackwood blaine blalock
blanco bland blanton blaylock bledsoe bloom blount blum boatwright bock bogan boggs bohannon boland bolden bolin
bolton bonner bost bostic bostwick boswell bott bouchard boudreaux bourgeois bowden bowie bowles bowling boyce boyles
bracken brackett bradbury bragg branham brannon brantley braswell bray breaux breedlove brenner brewster brice
bridgeman bright brinkley briscoe britt britton broadway brockman brooker brookins brough broussard brower brownlee
broyles brubaker bruner brunson brush bryce buchholz buckner buford bui bullard bunch bundy bunn burdick burger burk
burkett burkhart burleson burley burnham burnside burrell burris burroughs burrows bussey butcher butts byers bynum
cady cage cagle cahill calkins calloway calvert camp canady capps carden carlisle carmichael carnes carney caron
carrasco carrington cartwright carver cason cassidy castellano castleberry caudill causey cavanaugh cavazos chaffin
chamberlain chambless champion chaney chappell chastain chatman cheek cheney chesser childers childress childs
chisholm christenson christie christy clancy clapp clary claxton clem clemens clement clemons cleveland clifford
clifton cloud coates coburn cochrane cody coe coffman coker colbert coley collado collazo colvin comer conklin conn
connell connelly connor connors conover conroy cooke cooley coombs cooney corbett corbin corcoran cordero corley
cornelius cornell cornett cosby cote cotton couch coulter courtney covington cowan coward cowart cowell coyle crabtree
craft crain cramer cranford crawley creech crenshaw crews crider criswell crockett cromer cromwell crouch crow crowder
crowe crowell crowley crum crump cuellar culbertson cullen culver cupp currie curtin dabney dahl dailey dale daley
daly damico damron danforth darby darden darling davey davies dawkins dearing dees dehart delaney dell deloach demarco
dempsey denham denney denning dennison denson dent denton derr desai devine devlin dew dewey dewitt dial dick dickens
dickey dickinson diehl dietrich dill dillard dinh dion dobbins dobbs dobson dodd dodge doherty dolan donahue donnelly
dooley doran dorman dorris doss dotson dove dow dowd dowdy dowling downey downing downs draper drew driscoll driver
drummond dubois dubose duckworth duff dugan duggan dukes dumas dunbar dunaway dunham dupree dupuis durbin durden
durfee durr dutton duval dwyer dye dykes eads eagle earl earnest easley eason easterling eastman eaves eckert eddy
edmonds edmondson egan eggleston eldridge elkins eller elliot ellington emerson emery engel england engle ennis epps
erwin eubanks evers ewing ezell fagan fairbanks fairchild falcon fannin farias farr farrar farris faust fay feldman
fell felton fenton ferrell ferris fierro fife finch fincher fink finn fishman fitch fitts flanagan flanders flannery
fleck flint florence fogle folsom fontaine fontenot foote forbes forrest fortier foss foust fraley france franz fraser
frazer freed freeland fretz frey frick fries fritz fuchs fulton funk fuqua gable gabriel gaddis gaffney gagnon gaither
galbraith gale gallo galloway gamble gann gant gantt gard garland garvey gary gaskins gaston gatlin gauthier gaylord
gee geiger gentile gerber germain gibbons giddens gifford gilchrist gillen gilliam gillis gilman gilmer gipson girard
gist glaze gleason godfrey godwin goff goforth goins goldberg goldman gooch goode goodrich goodson gore gorman goss
gough grady graff granger grayson greenberg greenwood gregg gresham grier griffiths griggs grimm grissom groves grubb
guidry guillory gunn gunter guthrie guy haas hackett hadley hagan hagen haggard haines hairston halsey halstead hamby
hamel hamlin hamm hammer hammett hamrick handley hanes haney hankins hanley hannon harbin hardaway hardee hardwick
hargrove harkins harlan harley harlow harp hartley hartsell hatch hatcher hatfield hathaway hatley haught hauser hawk
hawley hays hayward haywood heard hearn heaton hedrick heflin hein helm helms helton hembree hemphill hendrick
hendrickson henley hennessy henning herbert herndon herr hershberger hewitt hiatt hickey hidalgo higdon higginbotham
hightower hildebrand hilliard hilton hindman hinkle hinson hirsch hitchcock hite hoang hobson hodgson hoff hogue
holbrook holcomb holden holder holley holliday hollingsworth hollins hollis holman honeycutt hooker hooper hopper
horner hornsby horst hough houck houser hoyt huddleston hudgins huey hughey hulsey humphreys hundley hunsaker hurd
hurt hutchins hutchison hutson hyatt hyde ingle inman irby ireland irvin irwin isaacs isom ivey ivory jacks jackman
jaeger jameson jamison janssen jarrett jeffers jeffries jernigan jester jett jewell jobe jolley jolly joyce joyner
judd judge kaiser kaplan karr kasper kaufman kay keane kearney keating keel keen keene keener kehoe kelleher kellogg
kelso kendall kendrick kenney kenyon kern kerns kessler keyes kidd kiefer kilgore killian kimball kimble kincaid
kinder kingsley kinney kinsey kirkland kirkpatrick kish kite knoll knott knowles knowlton koenig kohler kovacs kraft
krause kruger kuhn kunkel kurtz lacey lacy ladd lafferty laird lamar lamm landis laney langdon langford langley lanier
lantz larue lassiter latham lathrop lau laughlin lavender layne layton leary leavitt ledbetter ledford leeper legg
legrand lehman leigh lemaster lemon lemons lennon lent lerner levin levine lewandowski lindley lindquist lindsay
lineberry linton lipscomb lively locke lockhart lockwood loftis lofton lomax london looney loper lord lott lovelace
lovell lovett lowry loy luce luker lumpkin lundy lusk luther lyle lyman lyon mabry mackey maclean magee maguire mahan
maloney mancuso maness mangum manley mansfield manuel marcum marino markham marlow marr marrero marston martel martell
marx matlock matos matson mattingly mattox mauldin maupin maxey mayberry mayfield mayhew mccabe mccain mccallum
mccants mccarter mccartney mcclellan mccloud mccollum mccord mccracken mccray mccrory mcculloch mcdermott mcdonough
mcdougal mcelroy mcewen mcfadden mcgill mcgowan mcgrath mcgraw mcgregor mchenry mchugh mcintire mckeown mckinnon
mcknight mclain mclemore mcleod mcmanus mcmillen mcmullen mcnair mcnamara mcneal mcneil mcnulty mcqueen mcrae mcvey
meade meador medley meek meeks meier melvin mendenhall mercer merrill messer metcalf metz michaels milam millard
milligan millikan mims miner minor minton mixon moeller moffett mohr monahan monk montague mooney moorman morehead
moreland morey morrell morrissey mortensen moseley moser mott moulton mowery mudd mull mullin mullis mund munn murdock
muse musgrove musser myrick nagel nance napier needham neely neff negron nelms nesbitt nettles neville newberry newby
newcomb newell newkirk newsome nix noel noland noonan norwood nowak nunley nutt oakes oakley oates odell odum ogden
ogle oglesby oldham olds oleary olivo olmstead osborn osburn oswald otis ott otto overton pabon packard padgett paige
painter palmore pannell pardo paris parish parrott parson partridge paschal pate patten paulson paxton payton peace
pearce peay peden peel peeples pegues pelletier pemberton pence pendleton penn penner pepper perdue perrin peterman
petit petty pfeiffer phelan pickens pickett pierson pike pinkerton pinson piper pippin pitman pitt platt plummer poe
poindexter poland polk pollock poore porterfield posey pounds prater presley pressley prewitt prichard pridgen priest
pritchett proffitt prosser provost pruett puckett pullen purcell purdy purvis putnam pyle quigley quinlan rader
rafferty ragan ragland rainey raley ralston rambo ramey ramsay randle rankin ransom rapp ratcliff rawlings rayburn
reagan reardon reaves redd redding redman reece reeder reedy regan reiter remington renfro renner rey rhoades rhoads
richey richter rickard ricketts riddle rider ridley rigby riggs rinehart riordan ripley risley ritchie ritter rivard
roark robb robinette robison roby roche rockwell roe rogan roland romano rooney roper rosa rosen rosenberg rountree
rouse rowan rowell rowley royal royer ruby rucker rudd rudolph ruff rumsey russ rust rutledge ryder sadler sager
salter samuel samuels sanborn sanderson sandlin sargent sasser satterfield sauer saylor scales scanlon schaffer
schiller schmid schmitz schofield scholl schreiber schubert schuler schulz schumacher schwab scoggins scruggs seal
seals sealy searcy sears seay seeley segal sewell seymour shafer shank shanks sharkey sharpe shaver shea shearer
sheehan sheffield shell shelley sheridan sherrill sherwood shipley shipman shirley shoemaker shook shore shuler
shumate sibley sides siegel sikes silvers simmonds simms sinclair singer singletary sisk sizemore skaggs skelton slade
slater slaughter slocum smalley smiley smithson snead snider snipes snodgrass somers sommer sorensen sorrell southard
southerland sowell spain spangler spann sparkman spaulding spear spearman speer spellman spicer spivey spradlin
sprague sprinkle sprouse spruill squires stacy staley stallings stamper stanfield stanford stapleton starks starling
staton stauffer stearns steed steen stepp sterling stern steward stiles stinson stockton stoddard stoll stoltzfus
stoner storey stovall stowe strain strand stratton stricklin stringer strother stroud strunk stubbs stump sturgeon
sturgill styles suggs sumner sumrall sutherland swafford swain swan swank sweat swisher switzer sykes talbert talbot
talley tan tapp tarver tatum teague temple templeton thacker tharp thayer thibodeaux thigpen thomason thompkins
thornburg thorne thorpe thrasher threatt thurman thurston tibbs tidwell tilley tillman timmons tindall tinsley tipton
tobin toler tolliver tomlin tompkins toney toole towns tracy trammell travers traylor tremblay trent trimble tripp
trotter troutman truitt tubbs tully turley turnbull turnage turney tuttle tyree tyson ulrich upchurch upton utley
valle vanhorn vann varner veal venable vick vickers vinson voss waddell wadsworth waggoner wagoner waite wakefield
walden waldron walling warden warfield washburn waterman watt waugh weathers weatherford webber weir welborn weldon
weller welsh wendt wentworth werner wertz wesley westbrook wetzel whalen whaley wheat wheatley whelan whitcomb
whitfield whitley whitlock whitman whitmore whitson whitt whittaker whitten whittington wick wicker wicks wilbur
wilder wiles wilhelm wilhite wilkes willard willey willingham willoughby wills wilmoth wilt wimberly winchester
windham winfield wingate winkler winn winslow winston wirth wiseman witt witte wofford womack woodall woodruff woodson
woody wooten workman worley worthington wray wren wyant wylie wyman wynn yancey yarbrough yeager yost youngblood
zeller ziegler zimmer zook
`;
